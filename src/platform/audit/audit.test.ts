import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { AuditService } from './service.js';

const KEY = Buffer.alloc(32, 9);

describeEachDatabase('audit log', (ctx) => {
  it('chains rows and verifies a fresh chain', async () => {
    const audit = new AuditService(ctx.database.db, KEY);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 0 });
    const first = await audit.record({
      actor: { type: 'system', label: 'test' },
      action: 'test.one',
      details: { a: 1, nested: { z: 'ž', b: [1, 2] } },
    });
    const second = await audit.record({
      actor: { type: 'user', id: 'u1', label: 'anna' },
      action: 'test.two',
      target: { type: 'thing', id: 't1' },
    });
    expect(second!.prevHash).toBe(first!.hash);
    expect(second!.seq).toBe(first!.seq + 1);
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, checked: 2, head: { seq: 2, hash: second!.hash } });
  });

  it('keeps order and links under concurrent appends', async () => {
    const audit = new AuditService(ctx.database.db, KEY);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audit.record({ actor: { type: 'system' }, action: 'test.parallel', details: { i } }),
      ),
    );
    expect((await audit.verify()).ok).toBe(true);
  });

  it('rejects UPDATE, DELETE and TRUNCATE from the application connection', async () => {
    const db = ctx.database.db;
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('names the first altered row, then the first deleted row', async () => {
    const audit = new AuditService(ctx.database.db, KEY);
    const db = ctx.database.db;
    // Tampering needs privileges the app does not use: disabling the trigger as the table owner.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    await sql`update audit_log set details = '{"a": 2}'::jsonb where seq = 1`.execute(db);
    expect(await audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: expect.stringMatching(/altered/) },
    });
    await sql`delete from audit_log where seq = 1`.execute(db);
    await sql`insert into audit_log select 1, at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, purpose, details, prev_hash, hash from audit_log where seq = 2`.execute(
      db,
    );
    await sql`delete from audit_log where seq = 3`.execute(db);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(1);
    await sql`delete from audit_log where seq = 1`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    expect(await audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: expect.stringMatching(/missing/) },
    });
  });
});
