import { useEffect, useMemo, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { Alert, Badge, Box, Button, Center, Grid, Group, Input, Loader, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowLeft, IconDeviceFloppy, IconHistory } from '@tabler/icons-react';
import { useContactFields } from '../../api/contacts.ts';
import { fetchMediaItem, type MediaItem } from '../../api/media.ts';
import { useSaveTemplate, useTemplate, useTemplatePreview, type Template, type TemplatePatchInput, type TemplateType, type TemplateVersion } from '../../api/templates.ts';
import type { Me } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { MediaPicker } from '../../components/media-picker.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { problemWords, TemplateBodyEditor } from './template-body-editor.tsx';
import { TemplatePreviewPanel } from './template-preview.tsx';
import { TEMPLATE_TYPE_WORDS, TEMPLATE_TYPES, VOICE_MIME } from './template-types.tsx';
import { VersionsDrawer } from './versions-drawer.tsx';

interface Draft {
  name: string;
  type: TemplateType;
  body: string;
  media: MediaItem | null;
  fileName: string;
}

const EMPTY: Draft = { name: '', type: 'text', body: '', media: null, fileName: '' };

const fromTemplate = (t: Template): Draft => ({ name: t.name, type: t.type, body: t.body, media: t.media, fileName: t.fileName ?? '' });

const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

/** What a draft sends as a message's content: only what its type carries. */
function contentOf(d: Draft) {
  const words = TEMPLATE_TYPE_WORDS[d.type];
  return {
    type: d.type,
    body: words.maxBody > 0 ? d.body : '',
    mediaId: words.mediaKind ? (d.media?.id ?? null) : null,
    fileName: d.type === 'document' && d.fileName.trim() ? d.fileName.trim() : null,
  };
}

/** The changes from the saved template; content fields are sent only when they changed, so a rename makes no version. */
function patchOf(saved: Template, d: Draft): TemplatePatchInput {
  const before = contentOf(fromTemplate(saved));
  const after = contentOf(d);
  const patch: TemplatePatchInput = {};
  if (d.name.trim() !== saved.name) patch.name = d.name.trim();
  if (after.type !== before.type) patch.type = after.type;
  if (after.body !== before.body) patch.body = after.body;
  if (after.mediaId !== before.mediaId) patch.mediaId = after.mediaId;
  if (after.fileName !== before.fileName) patch.fileName = after.fileName;
  return patch;
}

export function TemplateEditorPage({ me }: { me: Me }) {
  const { id: param } = useParams();
  const id = param === 'new' ? undefined : param;
  const navigate = useNavigate();
  const canWrite = can(me, 'templates:write');
  const template = useTemplate(id);
  const fields = useContactFields();
  const save = useSaveTemplate();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [contactId, setContactId] = useState<string | null>(null);
  const [seed, setSeed] = useState(randomSeed);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [savedWarnings, setSavedWarnings] = useState<Template['warnings']>([]);

  // Loads the template into the form once; refetches must not overwrite what is being typed.
  const loadedId = template.data?.id;
  useEffect(() => {
    if (template.data) setDraft(fromTemplate(template.data));
  }, [loadedId]);

  const words = TEMPLATE_TYPE_WORDS[draft.type];
  const content = contentOf(draft);
  const previewInput = useMemo(
    () => ({ body: content.body, type: content.type, seed, ...(contactId ? { contactId } : {}) }),
    [content.body, content.type, seed, contactId],
  );
  const preview = useTemplatePreview(previewInput);

  const dirty = !template.data || Object.keys(patchOf(template.data, draft)).length > 0;
  useEffect(() => {
    if (!dirty || !canWrite) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, canWrite]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setType = (type: TemplateType) =>
    // Media of another kind cannot stay attached (an image on a video message).
    setDraft((d) => ({ ...d, type, media: d.media && d.media.kind === TEMPLATE_TYPE_WORDS[type].mediaKind ? d.media : null }));

  const submit = () => {
    const input = template.data ? { id: template.data.id, ...patchOf(template.data, draft) } : { name: draft.name.trim(), ...content };
    const before = template.data?.version;
    save.mutate(input, {
      onSuccess: (t) => {
        setDraft(fromTemplate(t));
        setSavedWarnings(t.warnings);
        const warned = t.warnings.length ? ` — ${t.warnings.length === 1 ? '1 warning' : `${t.warnings.length} warnings`}, see below` : '';
        notifySuccess(before === t.version ? `${t.name} saved${warned}` : `Saved as version ${t.version}${warned}`);
        if (!id) navigate(`/templates/${t.id}`, { replace: true });
      },
    });
  };

  const restore = async (v: TemplateVersion) => {
    try {
      const media = !v.mediaId ? null : v.mediaId === draft.media?.id ? draft.media : await fetchMediaItem(v.mediaId);
      setDraft((d) => ({ ...d, type: v.type, body: v.body, media, fileName: v.fileName ?? '' }));
      setVersionsOpen(false);
      notifySuccess(`Version ${v.version} is in the editor; save to make it the current version`);
    } catch (err) {
      notifyError(err, 'Could not load that version');
    }
  };

  if (!id && !canWrite) return <Navigate to="/templates" replace />;
  if (id && template.isError) return <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />;
  if (id && !template.data) {
    return (
      <Center h={240}>
        <Loader />
      </Center>
    );
  }

  const readOnly = !canWrite;
  const actions = (
    <>
      <Button component={Link} to="/templates" variant="default" leftSection={<IconArrowLeft size={16} />}>
        All templates
      </Button>
      {template.data && (
        <Button variant="default" leftSection={<IconHistory size={16} />} onClick={() => setVersionsOpen(true)}>
          Versions
        </Button>
      )}
      {canWrite && (
        <Button leftSection={<IconDeviceFloppy size={16} />} onClick={submit} loading={save.isPending} disabled={!dirty || !draft.name.trim()}>
          {template.data ? 'Save' : 'Create template'}
        </Button>
      )}
    </>
  );

  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            {template.data?.name ?? 'New template'}
            {template.data && (
              <Badge size="lg" variant="light" data-testid="template-version-badge">
                Version {template.data.version}
              </Badge>
            )}
            {template.data && dirty && canWrite && (
              <Badge size="lg" variant="outline" color="orange">
                Unsaved changes
              </Badge>
            )}
          </Group>
        }
        description={readOnly ? 'You can read this template; only owners change templates.' : 'Write once, personalised for every recipient.'}
        actions={actions}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md">
            <Stack>
              {save.isError && <ErrorAlert error={save.error} title="Could not save the template" />}
              {savedWarnings.length > 0 && (
                <Alert color="orange" variant="light" title="Saved, with warnings" withCloseButton onClose={() => setSavedWarnings([])}>
                  <Stack gap={2}>
                    {savedWarnings.map((w) => (
                      <Text key={`${w.offset}-${w.code}`} size="sm">
                        {problemWords(w)}
                      </Text>
                    ))}
                  </Stack>
                </Alert>
              )}
              <TextInput label="Name" required readOnly={readOnly} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} placeholder="e.g. Ramadan promo" />
              <Input.Wrapper label="Message type" id="template-type">
                <Box mt={4}>
                  <SegmentedControl
                    aria-labelledby="template-type-label"
                    fullWidth
                    disabled={readOnly}
                    value={draft.type}
                    onChange={(v) => setType(v as TemplateType)}
                    data={TEMPLATE_TYPES.map((t) => ({ value: t, label: TEMPLATE_TYPE_WORDS[t].label }))}
                  />
                </Box>
              </Input.Wrapper>
              {words.mediaKind && (
                <MediaPicker
                  label={words.mediaLabel}
                  kind={words.mediaKind}
                  {...(draft.type === 'voice'
                    ? { mimeType: VOICE_MIME, mimeHint: 'Voice notes must be Ogg/Opus recordings, as WhatsApp records them; send other audio as an Audio message.' }
                    : {})}
                  value={draft.media}
                  onChange={(media) => set({ media })}
                  readOnly={readOnly}
                  canUpload={can(me, 'media:write')}
                />
              )}
              {draft.type === 'document' && (
                <TextInput
                  label="File name"
                  description="What the recipient sees; the library file's name when left empty"
                  placeholder={draft.media?.fileName ?? 'price-list.pdf'}
                  readOnly={readOnly}
                  value={draft.fileName}
                  onChange={(e) => set({ fileName: e.currentTarget.value })}
                />
              )}
              {words.maxBody > 0 ? (
                <TemplateBodyEditor
                  label={draft.type === 'text' ? 'Message' : 'Caption'}
                  value={draft.body}
                  onChange={(body) => set({ body })}
                  maxLength={words.maxBody}
                  preview={preview.data}
                  fields={fields.data ?? []}
                  readOnly={readOnly}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  {words.label} messages are sent without a caption.
                </Text>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Box pos="sticky" top={80}>
            <TemplatePreviewPanel
              preview={preview}
              updating={preview.settling}
              type={draft.type}
              media={draft.media}
              fileName={draft.fileName}
              contactId={contactId}
              onContactChange={setContactId}
              onShuffle={() => setSeed(randomSeed())}
            />
          </Box>
        </Grid.Col>
      </Grid>
      {template.data && <VersionsDrawer template={template.data} opened={versionsOpen} onClose={() => setVersionsOpen(false)} onRestore={canWrite ? restore : undefined} />}
    </>
  );
}
