import { expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';

it('escapes every character that could open a tag or end an attribute', () => {
  expect(escapeHtml(`<img src="x" onerror='alert(1)'> & co`)).toBe(
    '&lt;img src=&quot;x&quot; onerror=&#39;alert(1)&#39;&gt; &amp; co',
  );
});
