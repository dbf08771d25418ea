import { useEffect, useState } from 'react';

/** The browser's current time, re-read every `everyMs`, for screens whose buttons open and close with the clock. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
