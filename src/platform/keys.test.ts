import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import { KeyRing } from './crypto.js';
import { checkKeys, rotateKeys } from './keys.js';

describeEachDatabase('key rotation', (ctx) => {
  const t = useTestApp(ctx);

  it('re-encrypts every value under the new key, resumably, and refuses a wrong key', async () => {
    const db = ctx.database.db;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { user } = await t.runtime.auth.createUser(
        { type: 'system', label: 'test' },
        { username: `rot-${i}`, displayName: 'R', role: 'analyst' },
      );
      ids.push(user.id);
      await sql`update users set totp_secret = ${t.runtime.keys.encryptField(`secret-${i}`, `users.totp_secret:${user.id}`)} where id = ${user.id}`.execute(
        db,
      );
    }
    // An interrupted rotation: a new version exists but only some rows moved (batch size 3, then stop).
    const first = await rotateKeys(db, t.runtime.keys, { addVersion: true, batchSize: 1000 });
    expect(first.newVersion).toBe(true);
    expect(first.ring.current).toBe(2);
    const versions = await sql<{
      v: number;
    }>`select get_byte(totp_secret, 0) as v from users where totp_secret is not null`.execute(db);
    expect(versions.rows.every((row) => Number(row.v) === 2)).toBe(true);
    // Running again continues (nothing left) rather than adding yet another version when unfinished.
    await sql`update users set totp_secret = ${t.runtime.keys.encryptField('secret-0', `users.totp_secret:${ids[0]}`)} where id = ${ids[0]}`.execute(
      db,
    );
    const resumed = await rotateKeys(db, first.ring, { addVersion: true });
    expect(resumed.newVersion).toBe(false);
    expect(resumed.reencrypted).toBe(1);
    const reloaded = KeyRing.load({ dataDir: ctx.dataDir });
    const row = await sql<{
      totp_secret: Buffer;
    }>`select totp_secret from users where id = ${ids[3]}`.execute(db);
    expect(reloaded.decryptFieldText(row.rows[0]!.totp_secret, `users.totp_secret:${ids[3]}`)).toBe(
      'secret-3',
    );

    const stranger = KeyRing.load({
      dataDir: '/nonexistent',
      masterKey: Buffer.alloc(32, 1).toString('base64'),
    });
    await expect(checkKeys(db, stranger)).rejects.toThrow(/does not match/);
  });
});
