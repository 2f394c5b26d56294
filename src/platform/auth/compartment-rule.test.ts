/** The compartment rule every area uses (maySeeCompartment), for every kind of principal. */
import { describe, expect, it } from 'vitest';
import { maySeeCompartment } from './access.js';
import type { Principal } from './model.js';

const user = (role: 'admin' | 'analyst' | 'reviewer' | 'partner'): Principal =>
  ({ type: 'user', id: `u-${role}`, role }) as Principal;
const apiKey = { type: 'apikey', id: 'k-1' } as Principal;
const system: Principal = { type: 'system', label: 'cli:test' };
const open = { id: 'open-1', restricted: false };
const restricted = { id: 'restricted-1', restricted: true };

describe('maySeeCompartment', () => {
  it('administrators and the system see everything; staff open ones; the rest needs a grant', () => {
    const table = [system, user('admin'), user('analyst'), user('reviewer'), user('partner'), apiKey].map(
      (principal) => [
        maySeeCompartment(principal, open),
        maySeeCompartment(principal, restricted),
        maySeeCompartment(principal, restricted, new Set(['restricted-1'])),
        maySeeCompartment(principal, open, new Set(['open-1'])),
      ],
    );
    expect(table).toEqual([
      [true, true, true, true],
      [true, true, true, true],
      [true, false, true, true],
      [true, false, true, true],
      [false, false, true, true],
      [false, false, true, true],
    ]);
  });
});
