import './template-editor.css';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Code, Group, Input, Menu, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconArrowsShuffle, IconBraces, IconLifebuoy, IconVariable } from '@tabler/icons-react';
import type { PreviewResult, TemplateProblem } from '../../api/templates.ts';
import type { ContactField } from '../../api/types.ts';
import { fieldTitle, formatNumber } from '../../lib/format.ts';
import { FallbackPopover } from './fallback-popover.tsx';
import { highlightPieces, insertText, rebaseRanges, variableAt, variableUses, withFallback, type VariableUse } from './template-text.ts';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  maxLength: number;
  /** The latest preview; its highlight ranges are moved onto the current text until the next one arrives. */
  preview: PreviewResult | undefined;
  fields: ContactField[];
  readOnly: boolean;
}

const CONTACT_VARIABLES = [
  { key: 'name', label: 'Name' },
  { key: 'phone', label: 'Phone' },
];

const SPINTAX_SAMPLE = '{Hi|Hello}';
/** More custom fields than this get a search box in the variable menu. */
const FIELD_SEARCH_FROM = 8;

/** Distinct variables in order of first use, each with all its uses and the fallback they share (if any). */
function groupUses(uses: VariableUse[]) {
  const byKey = new Map<string, VariableUse[]>();
  for (const u of uses) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
  return [...byKey].map(([key, list]) => ({ key, uses: list, fallback: list.every((u) => u.fallback === list[0]!.fallback) ? list[0]!.fallback : null }));
}

/** A problem (error or warning) in words: where it is and what is wrong. */
export function problemWords(p: Pick<TemplateProblem, 'line' | 'column' | 'message'>) {
  return `Line ${p.line}, column ${p.column}: ${p.message}`;
}

/**
 * The body of a template as a textarea over a highlighted copy of its text: variables, fallbacks
 * and spintax coloured, errors underlined in red and warnings in orange at the exact spot, with
 * helpers that write the syntax for the author.
 */
export function TemplateBodyEditor({ label, value, onChange, maxLength, preview, fields, readOnly }: Props) {
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState({ start: 0, end: 0 });
  const caretAfterChange = useRef<number | null>(null);
  const [fieldSearch, setFieldSearch] = useState('');
  const needle = fieldSearch.trim().toLowerCase();
  const shownFields = needle ? fields.filter((f) => f.key.includes(needle) || fieldTitle(f).toLowerCase().includes(needle)) : fields;

  const readSelection = () => {
    const ta = textarea.current;
    if (ta) setSelection({ start: ta.selectionStart, end: ta.selectionEnd });
  };

  // The backdrop copies the textarea's inner box (without its scrollbar) and its scroll position.
  const sync = useCallback(() => {
    const ta = textarea.current;
    const bd = backdrop.current;
    if (!ta || !bd) return;
    bd.style.top = `${ta.offsetTop + ta.clientTop}px`;
    bd.style.left = `${ta.offsetLeft + ta.clientLeft}px`;
    bd.style.width = `${ta.clientWidth}px`;
    bd.style.height = `${ta.clientHeight}px`;
    bd.scrollTop = ta.scrollTop;
    bd.scrollLeft = ta.scrollLeft;
  }, []);
  useLayoutEffect(sync);
  useEffect(() => {
    const ta = textarea.current;
    if (!ta) return;
    const observer = new ResizeObserver(sync);
    observer.observe(ta);
    return () => observer.disconnect();
  }, [sync]);

  // A helper changed the text: put the caret where the helper said, once the new text is in.
  useLayoutEffect(() => {
    const caret = caretAfterChange.current;
    const ta = textarea.current;
    if (caret === null || !ta) return;
    caretAfterChange.current = null;
    ta.focus();
    ta.setSelectionRange(caret, caret);
    setSelection({ start: caret, end: caret });
  }, [value]);

  const change = (text: string, caret: number) => {
    caretAfterChange.current = caret;
    onChange(text);
  };
  const insert = (snippet: string) => {
    const next = insertText(value, selection.start, selection.end, snippet);
    change(next.text, next.caret);
  };

  const problems = useMemo(
    () => (preview ? rebaseRanges(preview.source, value, [...preview.errors, ...preview.warnings]).sort((a, b) => a.offset - b.offset) : []),
    [preview, value],
  );
  const pieces = useMemo(() => {
    const spans = preview ? rebaseRanges(preview.source, value, preview.spans).map((s) => ({ ...s, className: `tpl-${s.kind}` })) : [];
    const marks = problems.map((p) => ({ ...p, className: p.severity === 'error' ? 'tpl-error' : 'tpl-warning' }));
    return highlightPieces(value, [...spans, ...marks]);
  }, [preview, value, problems]);

  const uses = useMemo(() => variableUses(value), [value]);
  const variables = useMemo(() => groupUses(uses), [uses]);
  const atCaret = selection.start === selection.end ? variableAt(uses, selection.start) : null;
  const hasErrors = problems.some((p) => p.severity === 'error');

  const goTo = (offset: number) => {
    const ta = textarea.current;
    if (!ta) return;
    ta.setSelectionRange(offset, offset);
    // Focusing after the move scrolls the caret into view.
    ta.blur();
    ta.focus();
    readSelection();
  };

  const counter = (
    <Text size="xs" c={value.length > maxLength ? 'red' : 'dimmed'} aria-label="Characters used">
      {formatNumber(value.length)} / {formatNumber(maxLength)}
    </Text>
  );

  const toolbar = !readOnly && (
    <Group gap="xs" mb={6}>
      {/* Focus stays in the text, where the variable went, instead of returning to this button. */}
      <Menu position="bottom-start" shadow="md" width={280} returnFocus={false} onClose={() => setFieldSearch('')}>
        <Menu.Target>
          <Button size="xs" variant="light" leftSection={<IconVariable size={14} />}>
            Insert variable
          </Button>
        </Menu.Target>
        <Menu.Dropdown mah={360} style={{ overflowY: 'auto' }}>
          <Menu.Label>Contact</Menu.Label>
          {CONTACT_VARIABLES.map((v) => (
            <Menu.Item key={v.key} onClick={() => insert(`{{${v.key}}}`)} rightSection={<Code>{`{{${v.key}}}`}</Code>}>
              {v.label}
            </Menu.Item>
          ))}
          <Menu.Label>Custom fields</Menu.Label>
          {fields.length > FIELD_SEARCH_FROM && (
            <Menu.Search aria-label="Find a field" placeholder="Find a field" value={fieldSearch} onChange={(e) => setFieldSearch(e.currentTarget.value)} />
          )}
          {fields.length === 0 && <Menu.Item disabled>No custom fields yet: imported columns become fields</Menu.Item>}
          {shownFields.map((f) => (
            <Menu.Item
              key={f.key}
              onClick={() => insert(`{{${f.key}}}`)}
              rightSection={
                <Badge size="xs" variant="default">
                  {f.type}
                </Badge>
              }
            >
              <Text size="sm">{fieldTitle(f)}</Text>
              <Text size="xs" c="dimmed" ff="monospace">{`{{${f.key}}}`}</Text>
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <FallbackPopover
        disabled={!atCaret}
        variable={atCaret?.key ?? ''}
        current={atCaret?.fallback ?? null}
        uses={1}
        onApply={(fallback) => {
          if (!atCaret) return;
          const next = withFallback(value, [atCaret], fallback);
          change(next, atCaret.end + next.length - value.length);
        }}
      >
        <Tooltip label={atCaret ? `Text used when a contact has no ${atCaret.key}` : 'Put the caret inside a variable to give it a fallback'}>
          <Button size="xs" variant="light" leftSection={<IconLifebuoy size={14} />} disabled={!atCaret}>
            {atCaret ? `Fallback for {{${atCaret.key}}}` : 'Fallback'}
          </Button>
        </Tooltip>
      </FallbackPopover>
      <Tooltip label="Spintax: each recipient gets one of the options, so messages vary">
        <Button size="xs" variant="light" color="violet" leftSection={<IconArrowsShuffle size={14} />} onClick={() => insert(SPINTAX_SAMPLE)}>
          Insert spintax
        </Button>
      </Tooltip>
    </Group>
  );

  return (
    <Stack gap={6}>
      <Input.Wrapper
        id={id}
        label={label}
        description="Type {{ for a variable, or use the buttons. {Hi|Hello} picks one option per recipient; write \{ for a literal brace."
        inputWrapperOrder={['label', 'description', 'input']}
      >
        <div style={{ marginTop: 6 }}>
          {toolbar}
          <div className="tpl-editor" data-error={hasErrors || undefined}>
            <div ref={backdrop} className="tpl-layer tpl-backdrop" aria-hidden="true" data-testid="template-highlight">
              {pieces.map((p, i) =>
                p.classes.length > 0 ? (
                  <span key={i} className={p.classes.join(' ')}>
                    {p.text}
                  </span>
                ) : (
                  p.text
                ),
              )}
              {/* Gives a trailing empty line its height, as the textarea does. */}
              {'\u200b'}
            </div>
            <textarea
              ref={textarea}
              id={id}
              className="tpl-layer tpl-textarea"
              value={value}
              readOnly={readOnly}
              rows={8}
              spellCheck
              placeholder={readOnly ? undefined : 'Hi {{name}}, …'}
              aria-invalid={hasErrors}
              aria-describedby={`${id}-description`}
              onChange={(e) => {
                onChange(e.currentTarget.value);
                readSelection();
              }}
              onSelect={readSelection}
              onScroll={sync}
            />
          </div>
        </div>
      </Input.Wrapper>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap={6}>
          {variables.length > 0 && (
            <Text size="xs" c="dimmed">
              Variables:
            </Text>
          )}
          {variables.map((v) => (
            <Group key={v.key} gap={2} wrap="nowrap" data-testid="detected-variable">
              <Badge variant="light" color="teal" ff="monospace" tt="none" leftSection={<IconBraces size={11} />}>
                {v.key}
                {v.fallback !== null ? ` | '${v.fallback}'` : ''}
              </Badge>
              {!readOnly && (
                <FallbackPopover
                  variable={v.key}
                  current={v.fallback}
                  uses={v.uses.length}
                  onApply={(fallback) => {
                    const next = withFallback(value, v.uses, fallback);
                    onChange(next);
                  }}
                >
                  <ActionIcon size="sm" variant="subtle" aria-label={`Fallback for ${v.key}`}>
                    <IconLifebuoy size={14} />
                  </ActionIcon>
                </FallbackPopover>
              )}
            </Group>
          ))}
        </Group>
        {counter}
      </Group>
      {problems.length > 0 && (
        <Stack gap={2} component="ul" aria-label="Problems in the message" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {problems.map((p) => (
            <li key={`${p.severity}-${p.offset}-${p.code}`}>
              <UnstyledButton onClick={() => goTo(p.offset)} style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
                {p.severity === 'error' ? (
                  <IconAlertCircle size={16} color="var(--mantine-color-red-7)" style={{ flex: 'none', marginTop: 2 }} />
                ) : (
                  <IconAlertTriangle size={16} color="var(--mantine-color-orange-6)" style={{ flex: 'none', marginTop: 2 }} />
                )}
                <Text size="sm" c={p.severity === 'error' ? 'red.8' : 'orange.8'}>
                  {problemWords(p)}
                </Text>
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
