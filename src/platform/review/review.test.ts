import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { AuditService } from '../audit/service.js';
import type { Principal } from '../auth/model.js';
import { isAppError } from '../errors.js';
import { reviewContentHash } from './model.js';
import { ReviewService } from './service.js';

const KEY = Buffer.alloc(32, 3);
const analyst: Principal = {
  type: 'user',
  id: '00000000-0000-4000-8000-000000000001',
  username: 'ana',
  role: 'analyst',
};
const editor: Principal = {
  type: 'user',
  id: '00000000-0000-4000-8000-000000000002',
  username: 'ed',
  role: 'reviewer',
};
const reviewer: Principal = {
  type: 'user',
  id: '00000000-0000-4000-8000-000000000003',
  username: 'rev',
  role: 'reviewer',
};
const second: Principal = {
  type: 'user',
  id: '00000000-0000-4000-8000-000000000004',
  username: 'sec',
  role: 'admin',
};

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describeEachDatabase('four-eyes review', (ctx) => {
  const setup = (id: string) => {
    const audit = new AuditService(ctx.database.db, KEY);
    const review = new ReviewService(ctx.database.db, audit);
    const subject = { type: 'test-case', id };
    const edit = (actor: Principal, content: unknown) =>
      ctx.database.db
        .transaction()
        .execute((trx) =>
          review.recordEdit(trx, { subject, actor, contentHash: reviewContentHash(content) }),
        );
    return { audit, review, subject, edit };
  };

  it('hashes content independently of key order', () => {
    expect(reviewContentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      reviewContentHash({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(reviewContentHash({ a: 1 })).not.toBe(reviewContentHash({ a: 2 }));
  });

  it('refuses the author, any editor, a stale hash, API keys and analysts; a second officer approves', async () => {
    const { review, subject, edit, audit } = setup('s1');
    expect(await refusal(review.approve(reviewer, subject, { contentHash: 'a'.repeat(64) }))).toBe(
      'SVD_REVIEW_NOTHING',
    );
    await edit(analyst, { conclusion: 'no_adverse_information', v: 1 });
    await edit(editor, { conclusion: 'no_adverse_information', v: 2 });
    const hash = reviewContentHash({ conclusion: 'no_adverse_information', v: 2 });
    const staleHash = reviewContentHash({ conclusion: 'no_adverse_information', v: 1 });

    // The author has the analyst role; an editor with the reviewer role is refused as a contributor.
    expect(await refusal(review.approve(analyst, subject, { contentHash: hash }))).toBe(
      'SVD_REVIEW_APPROVER',
    );
    expect(await refusal(review.approve(editor, subject, { contentHash: hash }))).toBe(
      'SVD_REVIEW_SELF_APPROVAL',
    );
    const key: Principal = {
      type: 'apikey',
      id: '00000000-0000-4000-8000-000000000009',
      name: 'k',
      organization: 'o',
      scopes: ['verification'],
      purpose: 'x',
    };
    expect(await refusal(review.approve(key, subject, { contentHash: hash }))).toBe('SVD_REVIEW_APPROVER');
    expect(
      await refusal(review.approve({ type: 'system', label: 'cli' }, subject, { contentHash: hash })),
    ).toBe('SVD_REVIEW_APPROVER');
    expect(await refusal(review.approve(reviewer, subject, { contentHash: staleHash }))).toBe(
      'SVD_REVIEW_STALE',
    );

    const status = await review.approve(reviewer, subject, { contentHash: hash, comment: 'checked' });
    expect(status).toMatchObject({
      approved: true,
      contentHash: hash,
      approvals: [{ reviewer: `user:${reviewer.id}` }],
    });
    expect(await refusal(review.approve(reviewer, subject, { contentHash: hash }))).toBe(
      'SVD_REVIEW_ALREADY_APPROVED',
    );
    await expect(review.requireApproved(subject, hash)).resolves.toMatchObject({ approved: true });
    expect(await refusal(review.requireApproved(subject, staleHash))).toBe('SVD_REVIEW_NOT_APPROVED');

    const denied = await audit.list({ action: 'review.approve', outcome: 'denied', limit: 50 });
    expect(denied.map((row) => row.details.reason)).toEqual(
      expect.arrayContaining(['SVD_REVIEW_SELF_APPROVAL', 'SVD_REVIEW_STALE', 'SVD_REVIEW_APPROVER']),
    );
    expect((await audit.verify()).ok).toBe(true);
  });

  it('voids an approval when the content is edited, and the same content again does not revive it', async () => {
    const { review, subject, edit } = setup('s2');
    await edit(analyst, { text: 'one' });
    const first = reviewContentHash({ text: 'one' });
    await review.approve(reviewer, subject, { contentHash: first });
    expect((await review.status(subject)).approved).toBe(true);

    const result = await edit(analyst, { text: 'two' });
    expect(result.voided).toBe(1);
    let status = await review.status(subject);
    expect(status.approved).toBe(false);
    expect(status.history[0]).toMatchObject({ decision: 'approved', voidReason: 'content edited' });
    expect(await refusal(review.requireApproved(subject, first))).toBe('SVD_REVIEW_NOT_APPROVED');

    await edit(analyst, { text: 'one' });
    status = await review.status(subject);
    expect(status.approved).toBe(false);
    // A reviewer who edited the text may no longer approve it.
    await edit(reviewer, { text: 'three' });
    expect(
      await refusal(review.approve(reviewer, subject, { contentHash: reviewContentHash({ text: 'three' }) })),
    ).toBe('SVD_REVIEW_SELF_APPROVAL');
    await review.approve(second, subject, { contentHash: reviewContentHash({ text: 'three' }) });
    expect((await review.status(subject)).approved).toBe(true);
  });

  it('returning requires a comment, voids approvals, and a failing owner callback records nothing', async () => {
    const { review, subject, edit } = setup('s3');
    await edit(analyst, { text: 'x' });
    const hash = reviewContentHash({ text: 'x' });
    await review.approve(reviewer, subject, { contentHash: hash });
    expect(
      await refusal(review.returnForChanges(second, subject, { contentHash: hash, comment: '  ' })),
    ).toBe('SVD_REVIEW_COMMENT_REQUIRED');
    await expect(
      review.returnForChanges(
        second,
        subject,
        { contentHash: hash, comment: 'source 2 is missing' },
        async () => {
          throw new Error('owner failed');
        },
      ),
    ).rejects.toThrow('owner failed');
    expect((await review.status(subject)).approved).toBe(true);
    const status = await review.returnForChanges(second, subject, {
      contentHash: hash,
      comment: 'source 2 is missing',
    });
    expect(status.approved).toBe(false);
    expect(status.history[0]).toMatchObject({ decision: 'returned', comment: 'source 2 is missing' });
  });
});
