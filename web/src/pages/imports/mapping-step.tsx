import { useState } from 'react';
import {
  Alert, Badge, Button, Group, List, Paper, Radio, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconArrowRight } from '@tabler/icons-react';
import { useStartImport } from '../../api/imports.ts';
import { useLists } from '../../api/lists.ts';
import type { ColumnRole, Detected, ImportJob } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { delimiterWords, encodingWords, formatBytes, formatNumber } from '../../lib/format.ts';
import { initialColumns, keyFromTyping, mappingProblems, startInput, type ColumnChoice, type Options } from './mapping.ts';

const roleOptions: { value: ColumnRole; label: string }[] = [
  { value: 'phone', label: 'Phone number' },
  { value: 'name', label: 'Name' },
  { value: 'consent', label: 'Consent' },
  { value: 'field', label: 'Custom field' },
  { value: 'ignore', label: 'Do not import' },
];

function Fact({ label, value, hint }: { label: string; value: React.ReactNode; hint?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

/** `headerRow` counts from 1, as a spreadsheet user sees rows. */
function headerRowFacts(d: Detected) {
  const row = d.headerRow;
  if (row === null) return { value: 'None', hint: 'The first row is already data' };
  return {
    value: `Row ${row}`,
    hint: row > 1 ? `Row${row > 2 ? `s 1–${row - 1} were` : ' 1 was'} skipped as a title` : 'Column names are in the first row',
  };
}

function ColumnKeyCell({ column, error, onChange }: { column: ColumnChoice; error?: string; onChange(key: string): void }) {
  if (column.role === 'field') {
    return (
      <TextInput
        size="xs"
        aria-label={`Variable name for ${column.header}`}
        value={column.key}
        error={error}
        onChange={(e) => onChange(keyFromTyping(e.currentTarget.value))}
        leftSection={<Text size="xs" c="dimmed">{'{{'}</Text>}
        rightSection={<Text size="xs" c="dimmed">{'}}'}</Text>}
        leftSectionWidth={22}
        rightSectionWidth={22}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
    );
  }
  const text: Record<Exclude<ColumnRole, 'field'>, string> = {
    phone: 'Normalised to +E.164',
    name: 'Contact name',
    consent: 'yes/no, ya/tidak, 1/0…',
    ignore: 'Skipped',
  };
  return (
    <Text size="xs" c="dimmed" py={6}>
      {text[column.role]}
    </Text>
  );
}

export function MappingStep({ job }: { job: ImportJob }) {
  const d = job.detected;
  const start = useStartImport(job.id);
  const lists = useLists();
  const [columns, setColumns] = useState(() => initialColumns(d));
  const [options, setOptions] = useState<Options>({
    existing: 'update',
    listMode: 'none',
    listId: null,
    listName: job.fileName.replace(/\.[^.]+$/, ''),
  });
  const problems = mappingProblems(columns, options);
  const setColumn = (index: number, patch: Partial<ColumnChoice>) =>
    setColumns((cs) => cs.map((c) => (c.index === index ? { ...c, ...patch } : c)));
  const variables = columns.filter((c) => c.role === 'field');
  const header = headerRowFacts(d);

  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
          <Fact label="File" value={job.fileName} hint={formatBytes(job.fileSize)} />
          {job.format === 'xlsx' ? (
            <>
              <Fact label="Format" value="Excel workbook" />
              <Fact label="Sheet" value={d.sheet ?? 'First sheet'} />
            </>
          ) : (
            <>
              <Fact label="Encoding" value={d.encoding ? encodingWords(d.encoding) : 'Unknown'} />
              <Fact label="Delimiter" value={delimiterWords(d.delimiter)} />
            </>
          )}
          <Fact label="Header row" value={header.value} hint={header.hint} />
          <Fact label="Rows" value={d.rowEstimate === null ? 'Counted during the import' : formatNumber(d.rowEstimate)} />
        </SimpleGrid>
      </Paper>

      <Paper withBorder>
        <Group justify="space-between" p="md" pb="xs" align="flex-start">
          <div>
            <Title order={4}>Columns</Title>
            <Text size="sm" c="dimmed">
              Check what each column holds. Custom fields become variables for your messages.
            </Text>
          </div>
          {variables.length > 0 && (
            <Group gap={6} maw={520} justify="flex-end" data-testid="detected-variables">
              <Text size="xs" c="dimmed" fw={600}>
                Variables
              </Text>
              {variables.map((c) => (
                <Badge key={c.index} variant="light" ff="monospace" fw={500}>
                  {`{{${c.key}}}`}
                </Badge>
              ))}
            </Group>
          )}
        </Group>
        <ScrollArea type="auto" offsetScrollbars>
          <Table withColumnBorders withTableBorder={false} miw={Math.max(720, columns.length * 190)} data-testid="mapping-table">
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.index} miw={180} bg={c.role === 'ignore' ? 'gray.0' : undefined}>
                    <Tooltip label={`Column ${c.index + 1}`} position="top-start">
                      <Text fw={700} size="sm" truncate>
                        {c.header || `Column ${c.index + 1}`}
                      </Text>
                    </Tooltip>
                  </Table.Th>
                ))}
              </Table.Tr>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Td key={c.index} bg={c.role === 'ignore' ? 'gray.0' : undefined}>
                    <Stack gap={6}>
                      <Select
                        size="xs"
                        aria-label={`What ${c.header || `column ${c.index + 1}`} holds`}
                        data={roleOptions}
                        value={c.role}
                        allowDeselect={false}
                        onChange={(v) => v && setColumn(c.index, { role: v as ColumnRole })}
                      />
                      <ColumnKeyCell column={c} error={problems.byColumn.get(c.index)} onChange={(key) => setColumn(c.index, { key })} />
                    </Stack>
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.preview.map((row, r) => (
                <Table.Tr key={r}>
                  {columns.map((c) => (
                    <Table.Td key={c.index} fz="sm" c={c.role === 'ignore' ? 'dimmed' : undefined} bg={c.role === 'ignore' ? 'gray.0' : undefined}>
                      <Text size="sm" truncate maw={260}>
                        {row[c.index] ?? ''}
                      </Text>
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        <Text size="xs" c="dimmed" p="sm">
          Showing the first {d.preview.length} rows.
        </Text>
      </Paper>

      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <Radio.Group
            label="Contacts already in Chorus"
            description="Matched by phone number"
            value={options.existing}
            onChange={(v) => setOptions((o) => ({ ...o, existing: v as Options['existing'] }))}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="update" label="Update them with the values in this file" />
              <Radio value="skip" label="Keep them as they are (skip those rows)" />
            </Stack>
          </Radio.Group>
          <Stack gap="xs">
            <div>
              <Text size="sm" fw={500}>
                Add the contacts to a list
              </Text>
              <Text size="xs" c="dimmed">
                Lists let you send a campaign to exactly these people
              </Text>
            </div>
            <SegmentedControl
              value={options.listMode}
              onChange={(v) => setOptions((o) => ({ ...o, listMode: v as Options['listMode'] }))}
              data={[
                { value: 'none', label: 'No list' },
                { value: 'existing', label: 'Existing list', disabled: (lists.data ?? []).length === 0 },
                { value: 'new', label: 'New list' },
              ]}
            />
            {options.listMode === 'existing' && (
              <Select
                aria-label="List"
                placeholder="Choose a list"
                data={(lists.data ?? []).map((l) => ({ value: l.id, label: `${l.name} (${formatNumber(l.memberCount)})` }))}
                value={options.listId}
                onChange={(v) => setOptions((o) => ({ ...o, listId: v }))}
                searchable
              />
            )}
            {options.listMode === 'new' && (
              <TextInput
                aria-label="New list name"
                placeholder="Name of the new list"
                value={options.listName}
                onChange={(e) => {
                  const listName = e.currentTarget.value;
                  setOptions((o) => ({ ...o, listName }));
                }}
              />
            )}
          </Stack>
        </SimpleGrid>
      </Paper>

      {start.isError && <ErrorAlert error={start.error} title="The import could not start" />}
      {problems.overall.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertCircle size={18} />} title="Before you start">
          <List size="sm">
            {problems.overall.map((p) => (
              <List.Item key={p}>{p}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          size="md"
          rightSection={<IconArrowRight size={18} />}
          disabled={problems.overall.length > 0}
          loading={start.isPending}
          onClick={() => start.mutate(startInput(columns, options))}
        >
          Start import
        </Button>
      </Group>
    </Stack>
  );
}
