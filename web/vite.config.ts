import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The app is served by the Knotwork server from web/dist. For hot reloading, run the server, then
 * `npm run dev:web` with ALLOWED_ORIGINS=http://localhost:5173 set on the server (its origin guard refuses
 * writes from other origins); API calls are proxied.
 */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    // The app imports plain data modules (body regions, specialties) from the server's src/.
    fs: { allow: [repoRoot] },
    // ws: the live channel (/api/bookings/:id/live) is a WebSocket.
    proxy: { '/api': { target: 'http://localhost:3000', ws: true } },
  },
});
