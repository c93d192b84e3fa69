import { Accordion, Badge, Button, Code, Drawer, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useTemplateVersions, type Template, type TemplateVersion } from '../../api/templates.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TableSkeleton } from '../../components/table-skeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { TemplateTypeBadge } from './template-types.tsx';

interface Props {
  template: Template;
  opened: boolean;
  onClose(): void;
  /** Puts an old version's content into the editor (saving it then makes a new version); absent for readers. */
  onRestore?(version: TemplateVersion): void;
}

/** Every saved version of a template, newest first, with who saved it and when; each opens to its full content. */
export function VersionsDrawer({ template, opened, onClose, onRestore }: Props) {
  const versions = useTemplateVersions(template.id, opened);
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Group gap="xs">
          <IconHistory size={18} />
          <Text fw={600}>Versions of {template.name}</Text>
        </Group>
      }
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Each change to the content is kept as a new version; campaigns keep the version they were started with.
        </Text>
        {versions.isError && <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />}
        {!versions.data && !versions.isError && <TableSkeleton columns={2} rows={3} />}
        {versions.data && (
          <Accordion variant="separated" defaultValue={String(template.version)}>
            {versions.data.map((v) => (
              <Accordion.Item key={v.id} value={String(v.version)} data-testid="template-version">
                <Accordion.Control>
                  <Group justify="space-between" wrap="nowrap" pr="xs">
                    <div>
                      <Group gap={6}>
                        <Text fw={600} size="sm">
                          Version {v.version}
                        </Text>
                        {v.version === template.version && (
                          <Badge size="xs" variant="light">
                            Current
                          </Badge>
                        )}
                      </Group>
                      <Tooltip label={formatDateTime(v.createdAt)}>
                        <Text size="xs" c="dimmed" span>
                          {v.author?.name ?? 'Someone no longer in the workspace'} · {formatRelative(v.createdAt)}
                        </Text>
                      </Tooltip>
                    </div>
                    <TemplateTypeBadge type={v.type} />
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="xs">
                    {v.body ? (
                      <Code block style={{ whiteSpace: 'pre-wrap' }}>
                        {v.body}
                      </Code>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No text
                      </Text>
                    )}
                    {v.fileName && (
                      <Text size="xs" c="dimmed">
                        File name: {v.fileName}
                      </Text>
                    )}
                    {onRestore && v.version !== template.version && (
                      <Group justify="flex-end">
                        <Button size="xs" variant="light" onClick={() => onRestore(v)}>
                          Load into the editor
                        </Button>
                      </Group>
                    )}
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
    </Drawer>
  );
}
