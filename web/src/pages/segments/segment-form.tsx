import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Grid, Group, Paper, Radio, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useContactFields, useContacts } from '../../api/contacts.ts';
import { useLists } from '../../api/lists.ts';
import { useCreateSegment, useUpdateSegment, type SegmentDetail, type SegmentKind } from '../../api/segments.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../lib/notify.ts';
import { GroupEditor, type EditorContext } from './criteria-editor.tsx';
import { compile, fieldSpecs, newGroup, toDraft, type GroupDraft } from './criteria-model.ts';
import { LivePreview } from './live-preview.tsx';
import { KIND_WORDS, KindBadge } from './segment-words.tsx';

const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b));

/** Labels and workflow statuses to suggest: there is no list of them, so the ones on the first page of contacts. */
function useSuggestions() {
  const contacts = useContacts({});
  return useMemo(() => {
    const rows = contacts.data ?? [];
    return { labels: distinct(rows.flatMap((c) => c.labels)), statuses: distinct(rows.map((c) => c.workflowStatus)) };
  }, [contacts.data]);
}

/** The segment builder: creates a segment (no `segment`) or edits one; read-only for people who may not change segments. */
export function SegmentForm({ segment, readOnly = false }: { segment?: SegmentDetail; readOnly?: boolean }) {
  const navigate = useNavigate();
  const fields = useContactFields();
  const lists = useLists();
  const suggestions = useSuggestions();
  const create = useCreateSegment();
  const update = useUpdateSegment(segment?.id ?? '');
  const save = segment ? update : create;

  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [kind, setKind] = useState<SegmentKind>('dynamic');
  const [root, setRoot] = useState<GroupDraft>(() => (segment ? toDraft(segment.criteria) : newGroup()));
  const [tried, setTried] = useState(false);

  const specs = useMemo(() => fieldSpecs(fields.data ?? []), [fields.data]);
  const compiled = useMemo(() => compile(root, specs), [root, specs]);
  const ctx: EditorContext = {
    specs,
    problems: compiled.problems,
    showAllProblems: tried,
    conditionCount: compiled.conditionCount,
    readOnly,
    suggestions,
    lists: (lists.data ?? []).map((l) => ({ value: l.id, label: l.name })),
  };
  const nameProblem = tried && !name.trim() ? 'Give the segment a name' : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!name.trim() || !compiled.criteria) return;
    const common = { name: name.trim(), description: description.trim() || null, criteria: compiled.criteria };
    if (segment) {
      update.mutate(common, { onSuccess: () => notifySuccess(segment.kind === 'static' ? 'Segment saved and its membership re-taken' : 'Segment saved') });
    } else {
      create.mutate(
        { ...common, kind },
        {
          onSuccess: (s) => {
            notifySuccess(`Segment ${s.name} created`);
            navigate(`/segments/${s.id}`);
          },
        },
      );
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Paper withBorder p="md">
              <Stack>
                <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameProblem} disabled={readOnly} maxLength={120} />
                <Textarea label="Description" placeholder="Optional: who this is for" autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} disabled={readOnly} maxLength={500} />
                {segment ? (
                  <Stack gap={4}>
                    <Text size="sm" fw={500}>
                      Kind
                    </Text>
                    <Group gap="xs" wrap="nowrap">
                      <KindBadge kind={segment.kind} />
                      <Text size="xs" c="dimmed">
                        {KIND_WORDS[segment.kind].description} The kind is chosen when a segment is created.
                      </Text>
                    </Group>
                  </Stack>
                ) : (
                  <Radio.Group label="Kind" value={kind} onChange={(k) => setKind(k as SegmentKind)}>
                    <Stack gap="xs" mt={6}>
                      {(['dynamic', 'static'] as const).map((k) => (
                        <Radio key={k} value={k} label={KIND_WORDS[k].label} description={KIND_WORDS[k].description} />
                      ))}
                    </Stack>
                  </Radio.Group>
                )}
              </Stack>
            </Paper>
            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={4}>Who is in it</Title>
                <GroupEditor group={root} depth={1} path="" ctx={ctx} onChange={setRoot} />
              </Stack>
            </Paper>
            {segment?.kind === 'static' && !readOnly && (
              <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} />}>
                Saving re-takes this static segment&apos;s membership with the conditions above.
              </Alert>
            )}
            {save.isError && <ErrorAlert error={save.error} title="Could not save the segment" />}
            {tried && !compiled.criteria && (
              <Text size="sm" c="red" role="alert">
                Some conditions are not finished: see the messages under them.
              </Text>
            )}
            {!readOnly && (
              <Group justify="flex-end">
                {!segment && (
                  <Button component={Link} to="/segments" variant="default">
                    Cancel
                  </Button>
                )}
                <Button type="submit" loading={save.isPending}>
                  {segment ? 'Save changes' : 'Create segment'}
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <div style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 60px) + 16px)' }}>
            <LivePreview criteria={compiled.criteria} fields={fields.data ?? []} />
          </div>
        </Grid.Col>
      </Grid>
    </form>
  );
}
