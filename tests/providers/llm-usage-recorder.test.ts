/**
 * recordLlmUsage against the real database, as the app role under RLS: the
 * row lands with exact cost for the task's tenant, and a row for another
 * tenant is refused by the tenant policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLlmUsage } from '../../worker/providers/llm-usage-recorder.ts';
import { chatCost } from '../../worker/providers/provider-usage.ts';
import { createTenantFixture, type TenantFixture } from '../support/tenant-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let taskId: string;

beforeAll(async () => {
  t = await createTestDatabase('llm_usage');
  const owner = await t.owner();
  a = await createTenantFixture(owner);
  b = await createTenantFixture(owner);
  taskId = (await readAs(a, 'SELECT id FROM agent_tasks WHERE tenant_id = $1', [a.tenantId]))[0]!.id as string;
});

afterAll(async () => {
  await t?.drop();
});

/** Reads back as the app role in the tenant's context (RLS is forced, even for the owner). */
function readAs(tenant: TenantFixture, sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
  return t.db.transaction({ tenantId: tenant.tenantId, userId: tenant.userId }, (tx) => tx.query(sql, params), { readOnly: true });
}

describe('recordLlmUsage', () => {
  it('writes one row per call, per tenant and task, with the exact cost', async () => {
    const usage = { provider: 'api.openai.com', model: 'gpt-4o-mini', promptTokens: 1234, completionTokens: 567, costUsd: chatCost('gpt-4o-mini', 1234, 567) };
    const id = await t.db.transaction({ tenantId: a.tenantId, userId: a.userId }, (tx) => recordLlmUsage(tx, { tenantId: a.tenantId, agentTaskId: taskId, purpose: 'moderation', usage }));
    const rows = await readAs(a, 'SELECT tenant_id, agent_task_id, provider, model, purpose, prompt_tokens, completion_tokens, cost_usd::text AS cost FROM llm_usage WHERE id = $1', [id]);
    expect(rows[0]).toEqual({
      tenant_id: a.tenantId,
      agent_task_id: taskId,
      provider: 'api.openai.com',
      model: 'gpt-4o-mini',
      purpose: 'moderation',
      prompt_tokens: 1234,
      completion_tokens: 567,
      // 1234 × 0.15/1e6 + 567 × 0.60/1e6 = 0.0001851 + 0.0003402
      cost: '0.000525',
    });
  });

  it('records offline calls too, with no task', async () => {
    const id = await t.db.transaction({ tenantId: a.tenantId, userId: a.userId }, (tx) =>
      recordLlmUsage(tx, { tenantId: a.tenantId, agentTaskId: null, purpose: 'search', usage: { provider: 'heuristic', model: 'search-rules', promptTokens: 0, completionTokens: 0, costUsd: 0 } }),
    );
    const rows = await readAs(a, 'SELECT cost_usd::text AS cost, agent_task_id FROM llm_usage WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ cost: '0.000000', agent_task_id: null });
  });

  it('cannot write usage for another tenant than the transaction’s', async () => {
    const attempt = t.db.transaction({ tenantId: a.tenantId, userId: a.userId }, (tx) =>
      recordLlmUsage(tx, { tenantId: b.tenantId, agentTaskId: null, purpose: 'speech', usage: { provider: 'espeak-ng', model: 'en-us', promptTokens: 0, completionTokens: 0, costUsd: 0 } }),
    );
    await expect(attempt).rejects.toThrow(/row-level security/);
  });
});
