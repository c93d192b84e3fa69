import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { cookieOf, signupOwner, type Session } from './support/api.ts';
import { workspaceChannel } from '../src/realtime/pubsub.ts';
import { eventually, importFile, messyWorkbook, parseRejections, start, upload, waitForImport, type ImportJson } from './fixtures/import-files.ts';

const CSV = [
  'Phone,Full Name,City,Consent,Plan',
  '0812-3456-7890,Budi Santoso,Jakarta,ya,gold',
  '+62 813 1111 2222,Siti,Bandung,no,silver',
  '6281355556666,Andi,,yes,',
  'not a phone,Nobody,Medan,yes,gold',
  ',Empty Phone,Medan,yes,gold',
  '081234567890,Budi S.,Depok,,platinum',
].join('\n');

describe.each(modes)('imports (%s)', (mode) => {
  let h: Harness;
  let owner: Session;
  beforeAll(async () => {
    h = await startHarness(mode);
    owner = await signupOwner(h.app);
  });
  afterAll(async () => h?.close());

  const contacts = async (workspaceId: string) =>
    (
      await h.c.db.pool.query(
        'SELECT id, phone, name, fields, consent, consent_at, consent_source, updated_at FROM contacts WHERE workspace_id = $1 ORDER BY phone',
        [workspaceId],
      )
    ).rows;

  it('detects the columns of a CSV and shows a preview', async () => {
    const res = await upload(h.app, cookieOf(owner), 'customers.csv', CSV);
    expect(res.statusCode).toBe(201);
    const body = res.json() as ImportJson & { fileName: string; format: string };
    expect(body).toMatchObject({ fileName: 'customers.csv', format: 'csv', status: 'uploaded' });
    expect(body.detected).toMatchObject({ encoding: 'utf-8', delimiter: ',', headerRow: 1, rowEstimate: 6 });
    expect(body.detected.columns.map((c) => [c.header, c.role, c.key])).toEqual([
      ['Phone', 'phone', 'phone'],
      ['Full Name', 'name', 'name'],
      ['City', 'field', 'city'],
      ['Consent', 'consent', 'consent'],
      ['Plan', 'field', 'plan'],
    ]);
    expect(body.detected.preview[0]).toEqual(['0812-3456-7890', 'Budi Santoso', 'Jakarta', 'ya', 'gold']);
    expect(body.detected.columns[2]!.samples).toEqual(['Jakarta', 'Bandung', 'Medan', 'Medan', 'Depok']);
  });

  it('imports a CSV into a new list: contacts with custom fields, consent, counts and rejections', async () => {
    const s = await signupOwner(h.app);
    const done = await importFile(h.app, cookieOf(s), 'customers.csv', CSV, { list: { name: 'March customers' } });
    expect(done).toMatchObject({ status: 'completed', error: null, rowsDone: 6, imported: 3, updated: 0, skipped: 1, rejected: 2 });

    const rows = await contacts(s.workspaceId);
    expect(rows.map((r) => r.phone)).toEqual(['+6281234567890', '+6281311112222', '+6281355556666']);
    const budi = rows[0]!;
    // The later row of the same phone wins for non-empty values; consent given once stays given.
    expect(budi).toMatchObject({ name: 'Budi S.', fields: { city: 'Depok', plan: 'platinum' }, consent: true, consent_source: 'import:customers.csv' });
    expect(budi.consent_at).toBeInstanceOf(Date);
    // Ids are UUIDv7 (time-ordered: contact lists page by id), in file order.
    const ids = rows.map((r) => r.id as string);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(rows[1]).toMatchObject({ name: 'Siti', consent: false, consent_at: null, fields: { city: 'Bandung', plan: 'silver' } });
    expect(rows[2]).toMatchObject({ name: 'Andi', consent: true, fields: {} });

    const members = await h.c.db.pool.query(
      'SELECT count(*)::int AS n FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.workspace_id = $1 AND l.name = $2 AND m.list_id = $3',
      [s.workspaceId, 'March customers', done.listId],
    );
    expect(members.rows[0].n).toBe(3);

    const registry = await h.c.db.pool.query('SELECT key, label, type FROM contact_fields WHERE workspace_id = $1 ORDER BY key', [s.workspaceId]);
    expect(registry.rows).toEqual([
      { key: 'city', label: 'City', type: 'text' },
      { key: 'plan', label: 'Plan', type: 'text' },
    ]);

    const csv = await h.app.inject({ url: `/api/v1/imports/${done.id}/rejections.csv`, headers: { cookie: s.cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/customers-rejected-rows\.csv/);
    const lines = parseRejections(csv.body);
    expect(lines[0]).toEqual(['row', 'reason', 'Phone', 'Full Name', 'City', 'Consent', 'Plan']);
    expect(lines.slice(1).map((l) => [l[0], l[1]])).toEqual([
      ['5', 'invalid phone "not a phone": not a phone number'],
      ['6', 'missing phone'],
      ['7', 'duplicate in file (merged into row 2)'],
    ]);
    expect(lines[2]!.slice(2)).toEqual(['', 'Empty Phone', 'Medan', 'yes', 'gold']);

    const audit = await h.c.db.pool.query('SELECT action FROM audit_log WHERE workspace_id = $1 ORDER BY id', [s.workspaceId]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['import.create', 'list.create', 'import.start', 'import.complete']));
    const metrics = await h.c.metrics.registry.getSingleMetricAsString('chorus_import_rows_total');
    expect(metrics).toMatch(/outcome="imported"} \d+/);
  });

  it('publishes live progress on the workspace channel', async () => {
    const s = await signupOwner(h.app);
    const notices: Array<{ type: string; status: string; rowsDone: number; imported: number }> = [];
    const unsubscribe = await h.c.pubsub.subscribe(workspaceChannel(s.workspaceId), (m) => notices.push(m as (typeof notices)[number]));
    const lines = ['phone,name'];
    for (let i = 0; i < 12_000; i++) lines.push(`0812${String(10_000_000 + i)},Person ${i}`);
    const done = await importFile(h.app, cookieOf(s), 'many.csv', lines.join('\n'));
    await eventually(() => notices.some((n) => n.status === 'completed'));
    await unsubscribe();
    expect(done).toMatchObject({ status: 'completed', imported: 12_000 });
    const progress = notices.filter((n) => n.type === 'import.progress');
    expect(progress.map((n) => n.status)).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
    // One notice per committed batch (5,000 rows), with growing counts.
    const running = progress.filter((n) => n.status === 'running' && n.rowsDone > 0).map((n) => n.rowsDone);
    expect(running).toEqual([5000, 10_000, 12_000]);
    expect(progress.at(-1)).toMatchObject({ status: 'completed', rowsDone: 12_000, imported: 12_000 });
  });

  it('imports a messy xlsx: title row, numeric phones, dates, formulas, merged cells, rich text', async () => {
    const s = await signupOwner(h.app);
    const up = await upload(h.app, cookieOf(s), 'Pelanggan.xlsx', await messyWorkbook());
    expect(up.statusCode).toBe(201);
    const det = (up.json() as ImportJson).detected;
    expect(det).toMatchObject({ encoding: null, delimiter: null, headerRow: 3, sheet: 'Customers' });
    expect(det.columns.map((c) => [c.header, c.role, c.key, c.type])).toEqual([
      ['No HP', 'phone', 'phone', 'text'],
      ['Nama', 'name', 'name', 'text'],
      ['Tanggal Daftar', 'field', 'tanggal_daftar', 'date'],
      ['Total Belanja', 'field', 'total_belanja', 'number'],
      ['Kota', 'field', 'kota', 'text'],
    ]);
    expect(det.preview[0]).toEqual(['6281234567890', 'Budi', '2024-03-05', '200', 'Jakarta']);
    const st = await start(h.app, cookieOf(s), (up.json() as ImportJson).id);
    expect(st.statusCode).toBe(202);
    const done = await waitForImport(h.app, cookieOf(s), (up.json() as ImportJson).id);
    expect(done).toMatchObject({ status: 'completed', imported: 3, rejected: 0 });
    const rows = await contacts(s.workspaceId);
    expect(rows.map((r) => [r.phone, r.name, r.fields])).toEqual([
      ['+6281234567890', 'Budi', { tanggal_daftar: '2024-03-05', total_belanja: '200', kota: 'Jakarta' }],
      ['+6281234567891', 'Siti Aminah', { tanggal_daftar: '2024-03-06T13:30:00.000Z', total_belanja: '150.5', kota: 'Bandung' }],
      ['+6281234567892', 'Andi', { tanggal_daftar: '2024-03-07', total_belanja: '151.5' }],
    ]);
  });

  it('changes nothing when the same file is imported twice', async () => {
    const s = await signupOwner(h.app);
    const first = await importFile(h.app, cookieOf(s), 'customers.csv', CSV, { list: { name: 'Once' } });
    const before = await contacts(s.workspaceId);
    const second = await importFile(h.app, cookieOf(s), 'customers.csv', CSV, { list: { id: first.listId } });
    expect(second).toMatchObject({ status: 'completed', imported: 0, updated: 0, skipped: 4, rejected: 2 });
    expect(await contacts(s.workspaceId)).toEqual(before);
  });

  it('updates existing contacts or keeps them, as chosen', async () => {
    const s = await signupOwner(h.app);
    await importFile(h.app, cookieOf(s), 'a.csv', 'phone,name,city\n081234567890,Budi,Jakarta\n081311112222,Siti,Bandung\n');
    const changed = 'phone,name,city,tier\n081234567890,Budi Baru,,gold\n081311112222,,Bogor,\n081355556666,Andi,Depok,\n';

    const skip = await importFile(h.app, cookieOf(s), 'b.csv', changed, { existing: 'skip' });
    expect(skip).toMatchObject({ imported: 1, updated: 0, skipped: 2 });
    expect((await contacts(s.workspaceId)).map((r) => [r.name, r.fields])).toEqual([
      ['Budi', { city: 'Jakarta' }],
      ['Siti', { city: 'Bandung' }],
      ['Andi', { city: 'Depok' }],
    ]);

    const update = await importFile(h.app, cookieOf(s), 'b.csv', changed, { existing: 'update' });
    expect(update).toMatchObject({ imported: 0, updated: 2, skipped: 1 });
    expect((await contacts(s.workspaceId)).map((r) => [r.name, r.fields])).toEqual([
      ['Budi Baru', { city: 'Jakarta', tier: 'gold' }],
      ['Siti', { city: 'Bogor' }],
      ['Andi', { city: 'Depok' }],
    ]);
  });
});
