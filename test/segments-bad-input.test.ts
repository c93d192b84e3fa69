import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { newOwner } from './support/api.ts';

const SQL_TEXT = "city'); DROP TABLE contacts;--";
const group = (...conditions: unknown[]) => ({ op: 'and', conditions });

describe.each(modes)('segment bad input (%s)', (mode) => {
  let h: Harness;
  let o: Awaited<ReturnType<typeof newOwner>>;
  let segmentId: string;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    o = await newOwner(h.app);
    await o.api('POST', '/api/v1/contacts', { phone: '+6281234500001', fields: { city: SQL_TEXT } });
    await o.api('POST', '/api/v1/contacts', { phone: '+6281234500002', fields: { city: 'Jakarta' } });
    segmentId = (await o.api('POST', '/api/v1/segments', { name: 'Kept', criteria: group() })).json().id;
  });
  afterAll(async () => h?.close());

  /** Sends the criteria to create and to preview; both must refuse with the same first message. */
  const refused = async (criteria: unknown) => {
    const messages: string[] = [];
    for (const [url, body] of [
      ['/api/v1/segments', { name: 'Bad', criteria }],
      ['/api/v1/segments/preview', { criteria }],
    ] as const) {
      const res = await o.api('POST', url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.body).not.toMatch(/invalid_union|at .*\.ts/);
      messages.push(res.json().error.message);
    }
    expect(messages[0]).toBe(messages[1]);
    return messages[0]!;
  };

  it('names unknown fields and operators with what there is', async () => {
    expect(await refused(group({ field: 'foo', op: 'is', value: 1 }))).toBe(
      'body.criteria.conditions.0.field: unknown field "foo"; one of labels, workflow_status, last_interaction_at, conversation_count, rating, custom, list, consent, opted_out',
    );
    expect(await refused(group({ op: 'or', conditions: [{ field: 'rating', op: 'above', value: 3 }] }))).toBe(
      'body.criteria.conditions.0.conditions.0.op: unknown operator "above" for rating; one of eq, ne, gt, gte, lt, lte, between, exists, not_exists',
    );
  });

  it('says which value has the wrong type or range', async () => {
    const cases: Array<[unknown, string]> = [
      [{ field: 'conversation_count', op: 'gt', value: '3' }, 'body.criteria.conditions.0.value: a number'],
      [{ field: 'consent', op: 'is', value: 'yes' }, 'body.criteria.conditions.0.value: true or false'],
      [{ field: 'labels', op: 'has_any', values: 'vip' }, 'body.criteria.conditions.0.values: a list'],
      [{ field: 'conversation_count', op: 'between', min: 9, max: 1 }, 'body.criteria.conditions.0.max: min must not be greater than max'],
      [{ field: 'last_interaction_at', op: 'within_last_days', days: 1.5 }, 'body.criteria.conditions.0.days: a whole number of days'],
      [{ field: 'rating', op: 'gte', value: 11 }, 'body.criteria.conditions.0.value: a rating from 0 to 10'],
      [{ field: 'list', op: 'in_any', listIds: ['not-a-uuid'] }, 'body.criteria.conditions.0.listIds.0: list ids are UUIDs'],
    ];
    for (const [condition, message] of cases) expect(await refused(group(condition))).toBe(message);
  });

  it('refuses trees deeper or larger than the limits, and huge bodies', async () => {
    let deep: unknown = group();
    for (let i = 0; i < 4; i++) deep = group(deep);
    expect(await refused(deep)).toBe('body.criteria: groups nest at most 4 deep');
    const condition = { field: 'consent', op: 'is', value: true };
    expect(await refused(group(...Array.from({ length: 51 }, () => condition)))).toBe('body.criteria: at most 50 conditions in a segment');
    expect(await refused(group(...Array.from({ length: 10_000 }, () => condition)))).toBe('body.criteria: at most 50 conditions in a segment');
    expect(await refused(group({ field: 'custom', key: 'city', op: 'equals', value: 'x'.repeat(1_000_000) }))).toBe(
      'body.criteria.conditions.0.value: at most 500 characters',
    );
    const huge = await o.api('POST', '/api/v1/segments/preview', { criteria: group({ field: 'labels', op: 'has_any', values: ['x'.repeat(3_000_000)] }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).not.toMatch(/ at /);
  });

  it('rejects a custom field key written as SQL and matches such a value literally', async () => {
    expect(await refused(group({ field: 'custom', key: SQL_TEXT, op: 'equals', value: 'x' }))).toBe(
      'body.criteria.conditions.0.key: a custom field key: lower-case letters, digits and _ , starting with a letter',
    );
    const literal = await o.api('POST', '/api/v1/segments/preview', { criteria: group({ field: 'custom', key: 'city', op: 'equals', value: SQL_TEXT }) });
    expect(literal.json().count).toBe(1);
    const quoted = await o.api('POST', '/api/v1/segments/preview', { criteria: group({ field: 'labels', op: 'has_any', values: ["x' OR '1'='1"] }) });
    expect(quoted.json().count).toBe(0);
    expect((await h.c.db.pool.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n).toBe(2);
  });

  it('refuses other bad bodies and ids, writing nothing', async () => {
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/segments', { name: '', criteria: group() }],
      ['POST', '/api/v1/segments', { name: 'x'.repeat(121), criteria: group() }],
      ['POST', '/api/v1/segments', { name: 'No criteria' }],
      ['POST', '/api/v1/segments', { name: 'Kind', kind: 'frozen', criteria: group() }],
      ['POST', '/api/v1/segments', { name: 'Extra', criteria: group(), owner: 'me' }],
      ['POST', '/api/v1/segments/preview', { criteria: group(), sampleSize: 51 }],
      ['PATCH', `/api/v1/segments/${segmentId}`, { kind: 'static' }],
      ['PATCH', `/api/v1/segments/${segmentId}`, { criteria: 'everyone' }],
      ['GET', '/api/v1/segments?limit=0', undefined],
    ];
    for (const id of ['123', "1' OR '1'='1", 'not-a-uuid']) {
      const at = `/api/v1/segments/${encodeURIComponent(id)}`;
      bad.push(['GET', at, undefined], ['PATCH', at, { name: 'y' }], ['DELETE', at, undefined], ['POST', `${at}/refresh`, undefined], ['GET', `${at}/contacts`, undefined]);
    }
    for (const [method, url, body] of bad) {
      const res = await o.api(method as 'POST', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().error.message, `${method} ${url}`).toMatch(/^(body|params|querystring)\./);
    }
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const [method, url] of [
      ['GET', `/api/v1/segments/${unknown}`],
      ['DELETE', `/api/v1/segments/${unknown}`],
      ['POST', `/api/v1/segments/${unknown}/refresh`],
      ['GET', `/api/v1/segments/${unknown}/contacts`],
    ] as const) {
      expect((await o.api(method, url)).json().error.code).toBe('SEGMENT_NOT_FOUND');
    }
    const items = (await o.api('GET', '/api/v1/segments')).json().items;
    expect(items).toMatchObject([{ id: segmentId, name: 'Kept', kind: 'dynamic', criteria: group() }]);
  });
});
