import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/**
 * A failure in words. Errors for fields the form shows are displayed next to those fields; `shownFields`
 * names them, so this notice only repeats what has no field of its own.
 */
/**
 * A field's path as a person reads it, for an error no control on the screen shows: `conditions.hypertension.systolic`
 * is "Systolic", `painNow.0.score` is "Score" (the API's path stays in the problem document for programs).
 */
export function fieldInWords(path: string): string {
  const name =
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? path;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function ErrorNotice({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    const errors = error.problem.errors ?? [];
    const unshown = errors.filter((e) => !shownFields.some((f) => e.field === f || e.field.startsWith(`${f}.`)));
    if (errors.length > 0 && unshown.length === 0) {
      return (
        <p className="notice notice-error" role="alert">
          Please correct the highlighted {errors.length === 1 ? 'field' : 'fields'}.
        </p>
      );
    }
    return (
      <div className="notice notice-error" role="alert">
        <p>{errors.length > 0 ? error.problem.title : error.message}</p>
        {unshown.length > 0 && (
          <ul>
            {unshown.map((e) => (
              <li key={e.field + e.code}>{e.in === 'path' ? e.message : `${fieldInWords(e.field)}: ${e.message}`}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <p className="notice notice-error" role="alert">
      Something went wrong. Please try again.
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children && <div className="page-lede">{children}</div>}
    </header>
  );
}
