import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { AuditAnchor, formatSignedHead, parseSignedHead } from './anchor.js';
import { AuditService } from './service.js';

const KEY = Buffer.alloc(32, 7);

describeEachDatabase('audit anchor', (ctx) => {
  const audit = () => new AuditService(ctx.database.db, KEY);
  const anchor = () => new AuditAnchor(ctx.database.db, ctx.dataDir, KEY);
  const write = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        audit().record({ actor: { type: 'system' }, action: 'test.row', details: { i } }),
      ),
    );
  const deleteNewest = async (count: number) => {
    const db = ctx.database.db;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    await sql`delete from audit_log where seq > (select max(seq) from audit_log) - ${count}`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
  };

  /** An empty log and no anchor: each test starts from a fresh installation. */
  const reset = async () => {
    const db = ctx.database.db;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    await sql`delete from audit_log`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    await sql`delete from app_meta where key = 'audit.anchor'`.execute(db);
    rmSync(path.join(ctx.dataDir, 'audit-head.json'), { force: true });
  };

  it('records the head on a good verification and notices rows deleted from the end', async () => {
    await reset();
    await write(5);
    const first = await anchor().verify(audit());
    expect(first).toMatchObject({ ok: true, anchor: null });
    expect(first.recorded?.seq).toBe(5);
    await deleteNewest(2);
    const after = await anchor().verify(audit());
    expect(after.ok).toBe(false);
    expect(after.firstBroken?.reason).toMatch(/missing/);
  });

  it('fails, and records nothing, when the anchor was deleted together with the newest rows', async () => {
    await reset();
    await write(6);
    expect((await anchor().verify(audit())).ok).toBe(true);

    // The file alone deleted: loud failure, never silently replaced.
    rmSync(path.join(ctx.dataDir, 'audit-head.json'));
    const lost = await anchor().verify(audit());
    expect(lost.ok).toBe(false);
    expect(lost.anchorProblem).toMatch(/anchor file was deleted/);
    expect((await anchor().verify(audit())).ok).toBe(false);
    expect((await anchor().advance(audit())).advanced).toBe(false);
    // The newest rows deleted with it: the copy in the database still names the missing rows.
    await deleteNewest(3);
    const truncated = await anchor().verify(audit());
    expect(truncated.ok).toBe(false);
    expect(truncated.firstBroken?.reason).toMatch(/rows 4–6 are missing/);
  });

  it('a head kept off the machine detects the truncation even when both local copies are gone', async () => {
    await reset();
    await write(4);
    const good = await anchor().verify(audit());
    const offMachine = formatSignedHead(good.recorded!);
    await deleteNewest(2);
    await sql`delete from app_meta where key = 'audit.anchor'`.execute(ctx.database.db);
    rmSync(path.join(ctx.dataDir, 'audit-head.json'));
    const given = parseSignedHead(offMachine)!;
    const result = await anchor().verify(audit(), { given });
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.reason).toMatch(/rows 3–4 are missing/);
    // A forged head (any change breaks the signature) is refused.
    const forged = await anchor().verify(audit(), { given: { ...given, seq: 2 } });
    expect(forged.anchorProblem).toMatch(/not signed/);
  });

  it('a corrupted anchor file fails; --new-anchor records a new one and audits the reset', async () => {
    await reset();
    await write(2);
    await anchor().verify(audit());
    writeFileSync(path.join(ctx.dataDir, 'audit-head.json'), '{"seq": 999, "hash": "x"');
    const result = await anchor().verify(audit());
    expect(result.ok).toBe(false);
    expect(result.anchorProblem).toMatch(/unreadable/);
    const renewed = await anchor().verify(audit(), { newAnchor: { actor: { type: 'system', label: 'op' } } });
    expect(renewed.ok).toBe(true);
    const [newest] = await audit().list({ limit: 1 });
    expect(newest?.action).toBe('audit.anchor.reset');
    expect(renewed.recorded?.seq).toBe(newest?.seq);
    expect((await anchor().read()).state).toBe('ok');
  });

  it('advances while rows are written, and refuses when the anchored row was rewritten', async () => {
    await reset();
    await write(2);
    await anchor().verify(audit());
    await write(3);
    const before = await anchor().read();
    expect(await anchor().advance(audit())).toEqual({ advanced: true });
    const after = await anchor().read();
    expect(after.state === 'ok' && before.state === 'ok' && after.head.seq).toBe(
      before.state === 'ok' ? before.head.seq + 3 : -1,
    );
    // Truncate to below the anchor and write the same number of rows again: the seq comes back, the hash does not.
    await deleteNewest(2);
    await write(2);
    const refused = await anchor().advance(audit());
    expect(refused.advanced).toBe(false);
    expect(refused.problem).toMatch(/deleted or rewritten/);
  });
});
