/**
 * The body map on its own page, for its component test (test/e2e/body-map.test.ts builds this entry with
 * Vite; it is not part of the app's build). The value is printed so the test can read what was marked.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BodyMap, type BodyMapValue } from '../src/shared/components/body-map/body-map';
import '../src/shared/styles/app.css';

function Harness() {
  const [value, setValue] = useState<BodyMapValue>({});
  return (
    <main id="main">
      <h1>Where does it hurt?</h1>
      <BodyMap value={value} onChange={setValue} />
      <h2>Value</h2>
      <pre data-testid="value">{JSON.stringify(value)}</pre>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
