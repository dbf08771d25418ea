import { useEffect } from 'react';
import { Loading } from '../shared/components/states';
import { navigate } from '../shared/lib/router';

/** Replaces the current address with another (the back button skips this one). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}
