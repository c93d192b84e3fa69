import { ActionIcon, Badge, Button, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconFolderPlus, IconPlus, IconX } from '@tabler/icons-react';
import {
  CRITERIA_LIMITS, newCondition, newGroup, operatorOf, operatorsOf, specOf, updateNode, withField,
  type ConditionDraft, type DraftNode, type DraftValue, type FieldSpec, type GroupDraft,
} from './criteria-model.ts';

export interface EditorContext {
  specs: FieldSpec[];
  problems: Record<string, string>;
  /** Rows without a field yet keep quiet until a save is tried. */
  showAllProblems: boolean;
  conditionCount: number;
  readOnly: boolean;
  suggestions: { labels: string[]; statuses: string[] };
  lists: { value: string; label: string }[];
}

const COMBINE = [
  { value: 'and', label: 'All of (AND)' },
  { value: 'or', label: 'Any of (OR)' },
];

function Problem({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <Text size="xs" c="red" data-testid="condition-problem">
      {text}
    </Text>
  );
}

function ValueInput({ row, spec, ctx, set }: { row: ConditionDraft; spec: FieldSpec; ctx: EditorContext; set(v: Partial<DraftValue>): void }) {
  const v = row.value;
  const disabled = ctx.readOnly;
  const whole = spec.group === 'Contact';
  const bounds = spec.id === 'rating' ? { min: 0, max: 10 } : whole ? { min: 0 } : {};
  switch (operatorOf(spec, row.op)?.kind) {
    case 'texts':
      return (
        <TagsInput
          aria-label="Values"
          placeholder={v.texts.length ? undefined : 'Type, then Enter'}
          data={spec.suggest ? ctx.suggestions[spec.suggest] : []}
          value={v.texts}
          onChange={(texts) => set({ texts })}
          clearable
          disabled={disabled}
          style={{ flex: '1 1 180px' }}
        />
      );
    case 'lists':
      return (
        <MultiSelect
          aria-label="Lists"
          placeholder={v.lists.length ? undefined : 'Choose lists'}
          data={ctx.lists}
          value={v.lists}
          onChange={(lists) => set({ lists })}
          searchable
          nothingFoundMessage="No list by that name"
          disabled={disabled}
          style={{ flex: '1 1 180px' }}
        />
      );
    case 'text':
      return <TextInput aria-label="Value" value={v.text} onChange={(e) => set({ text: e.currentTarget.value })} disabled={disabled} style={{ flex: '1 1 160px' }} />;
    case 'number':
      return <NumberInput aria-label="Value" value={v.a} onChange={(a) => set({ a })} allowDecimal={!whole} {...bounds} disabled={disabled} style={{ flex: '1 1 120px' }} />;
    case 'range':
      return (
        <Group gap={6} wrap="nowrap" style={{ flex: '1 1 220px' }}>
          <NumberInput aria-label="From" value={v.a} onChange={(a) => set({ a })} allowDecimal={!whole} {...bounds} disabled={disabled} />
          <Text size="sm">and</Text>
          <NumberInput aria-label="To" value={v.b} onChange={(b) => set({ b })} allowDecimal={!whole} {...bounds} disabled={disabled} />
        </Group>
      );
    case 'date':
      return <TextInput type="date" aria-label="Date" value={v.from} onChange={(e) => set({ from: e.currentTarget.value })} disabled={disabled} style={{ flex: '0 1 170px' }} />;
    case 'dateRange':
      return (
        <Group gap={6} wrap="nowrap" style={{ flex: '1 1 320px' }}>
          <TextInput type="date" aria-label="From date" value={v.from} onChange={(e) => set({ from: e.currentTarget.value })} disabled={disabled} />
          <Text size="sm">and</Text>
          <TextInput type="date" aria-label="To date" value={v.to} onChange={(e) => set({ to: e.currentTarget.value })} disabled={disabled} />
        </Group>
      );
    case 'days':
      return (
        <NumberInput
          aria-label="Days"
          value={v.a}
          onChange={(a) => set({ a })}
          allowDecimal={false}
          min={1}
          rightSection={<Text size="sm" c="dimmed" pr={8}>days</Text>}
          rightSectionWidth={48}
          disabled={disabled}
          style={{ flex: '0 1 140px' }}
        />
      );
    case 'yesno': {
      const [yes, no] = spec.yesNo ?? ['yes', 'no'];
      const data = [
        { value: 'true', label: yes },
        { value: 'false', label: no },
      ];
      return <Select aria-label="Value" placeholder="Choose" data={data} value={v.yes} onChange={(y) => set({ yes: y as DraftValue['yes'] })} allowDeselect={false} disabled={disabled} style={{ flex: '0 1 180px' }} />;
    }
    default:
      return null;
  }
}

function ConditionRow({ row, name, ctx, onChange, onRemove }: { row: ConditionDraft; name: string; ctx: EditorContext; onChange(row: ConditionDraft): void; onRemove(): void }) {
  const spec = row.field ? specOf(ctx.specs, row.field) : undefined;
  // A saved condition on a custom field that is no longer registered still shows, under its key.
  const offered = spec && !ctx.specs.includes(spec) ? [...ctx.specs, spec] : ctx.specs;
  const fieldData = (['Contact', 'Custom fields'] as const)
    .map((group) => ({ group, items: offered.filter((s) => s.group === group).map((s) => ({ value: s.id, label: s.label })) }))
    .filter((g) => g.items.length > 0);
  const operators = spec ? operatorsOf(spec, row.op).map((o) => ({ value: o.value, label: o.label })) : [];
  const problem = row.field || ctx.showAllProblems ? ctx.problems[row.key] : undefined;

  return (
    <Stack gap={4} role="group" aria-label={name} data-testid="condition-row">
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <Group gap="xs" align="flex-start" wrap="wrap" style={{ flex: 1 }}>
          <Select
            aria-label="Field"
            placeholder="Choose a field"
            data={fieldData}
            value={row.field}
            onChange={(id) => {
              const next = id ? specOf(ctx.specs, id) : undefined;
              if (next) onChange(withField(row, next));
            }}
            searchable
            allowDeselect={false}
            disabled={ctx.readOnly}
            error={!!problem && !spec}
            style={{ flex: '0 1 170px' }}
          />
          <Select
            aria-label="Operator"
            placeholder="Compare"
            data={operators}
            value={row.op}
            onChange={(op) => onChange({ ...row, op })}
            allowDeselect={false}
            disabled={ctx.readOnly || !spec}
            style={{ flex: '0 1 180px' }}
          />
          {spec && <ValueInput row={row} spec={spec} ctx={ctx} set={(patch) => onChange({ ...row, value: { ...row.value, ...patch } })} />}
        </Group>
        {!ctx.readOnly && (
          <Tooltip label="Remove this condition">
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove}>
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Problem text={problem} />
    </Stack>
  );
}

interface GroupProps {
  group: GroupDraft;
  /** 1 for the top-level group. */
  depth: number;
  /** "1.2"-style position, empty for the top-level group. */
  path: string;
  ctx: EditorContext;
  onChange(group: GroupDraft): void;
  onRemove?: () => void;
}

/** One AND/OR group: its rows and nested groups, each named by position ("Condition 2.1") for screen readers and tests. */
export function GroupEditor({ group, depth, path, ctx, onChange, onRemove }: GroupProps) {
  const name = path ? `Group ${path}` : 'Conditions';
  const full = ctx.conditionCount >= CRITERIA_LIMITS.maxConditions;
  const deepest = depth >= CRITERIA_LIMITS.maxDepth;
  const replaceChild = (key: string, next: DraftNode | null) => onChange(updateNode(group, key, () => next));
  const add = (node: DraftNode) => onChange({ ...group, children: [...group.children, node] });
  const joiner = group.op === 'and' ? 'AND' : 'OR';

  return (
    <Paper withBorder={depth > 1} p={depth > 1 ? 'sm' : 0} bg={depth > 1 ? 'gray.0' : undefined} role="group" aria-label={name}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="center">
          <Group gap="sm" wrap="wrap">
            <SegmentedControl
              aria-label={`${name}: how to combine`}
              size="xs"
              data={COMBINE}
              value={group.op}
              onChange={(op) => onChange({ ...group, op: op as GroupDraft['op'] })}
              disabled={ctx.readOnly}
            />
            <Text size="sm" c="dimmed">
              {group.op === 'and' ? 'A contact matches when every condition is true.' : 'A contact matches when at least one condition is true.'}
            </Text>
          </Group>
          {onRemove && !ctx.readOnly && (
            <Tooltip label="Remove this group and its conditions">
              <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove}>
                <IconX size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
        {group.children.length === 0 && depth === 1 && (
          <Text size="sm" c="dimmed">
            No conditions yet: every contact matches. Add a condition to narrow it down.
          </Text>
        )}
        {group.children.map((child, i) => {
          const childPath = path ? `${path}.${i + 1}` : String(i + 1);
          return (
            <Stack key={child.key} gap="sm">
              {i > 0 && (
                <Badge variant="light" color={group.op === 'and' ? 'chorus' : 'blue'} size="sm" aria-hidden>
                  {joiner}
                </Badge>
              )}
              {child.type === 'group' ? (
                <GroupEditor group={child} depth={depth + 1} path={childPath} ctx={ctx} onChange={(g) => replaceChild(child.key, g)} onRemove={() => replaceChild(child.key, null)} />
              ) : (
                <ConditionRow row={child} name={`Condition ${childPath}`} ctx={ctx} onChange={(r) => replaceChild(child.key, r)} onRemove={() => replaceChild(child.key, null)} />
              )}
            </Stack>
          );
        })}
        <Problem text={ctx.problems[group.key]} />
        {!ctx.readOnly && (
          <Group gap="xs">
            <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} disabled={full} onClick={() => add(newCondition())} aria-label={path ? `Add condition to ${name.toLowerCase()}` : undefined}>
              Add condition
            </Button>
            <Tooltip
              label={deepest ? `Groups nest at most ${CRITERIA_LIMITS.maxDepth} deep` : 'A group of conditions combined its own way, e.g. any of several cities'}
              multiline
              w={260}
            >
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconFolderPlus size={14} />}
                disabled={full || deepest}
                onClick={() => add(newGroup(group.op === 'and' ? 'or' : 'and', [newCondition()]))}
                aria-label={path ? `Add group to ${name.toLowerCase()}` : undefined}
              >
                Add group
              </Button>
            </Tooltip>
            {full && (
              <Text size="xs" c="dimmed">
                A segment has at most {CRITERIA_LIMITS.maxConditions} conditions.
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
