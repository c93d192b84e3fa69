import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useUpdateWorkspace, useWorkspace } from '../../api/settings.ts';
import type { Me } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { countryOptions } from '../../lib/countries.ts';
import { formatDate } from '../../lib/format.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';

export function WorkspaceSettings({ me }: { me: Me }) {
  const ws = useWorkspace();
  const update = useUpdateWorkspace();
  const canManage = can(me, 'workspace:manage');
  const [name, setName] = useState('');
  const [country, setCountry] = useState<string | null>(null);

  useEffect(() => {
    if (ws.data) {
      setName(ws.data.name);
      setCountry(ws.data.defaultCountry);
    }
  }, [ws.data]);

  if (ws.isPending) return <Skeleton height={220} />;
  if (ws.isError) return <ErrorAlert error={ws.error} onRetry={() => void ws.refetch()} />;

  const dirty = name.trim() !== ws.data.name || country !== ws.data.defaultCountry;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { name: name.trim(), ...(country ? { defaultCountry: country } : {}) },
      { onSuccess: () => notifySuccess('Workspace settings saved') },
    );
  };

  return (
    <Paper withBorder p="lg" maw={720}>
      <form onSubmit={submit}>
        <Stack>
          {update.isError && <ErrorAlert error={update.error} title="Could not save" />}
          <TextInput label="Workspace name" required value={name} onChange={(e) => setName(e.currentTarget.value)} readOnly={!canManage} />
          <Select
            label="Default country"
            description="Phone numbers written without a country code (0812…) are read as numbers of this country"
            data={countryOptions()}
            searchable
            allowDeselect={false}
            value={country}
            onChange={setCountry}
            readOnly={!canManage}
          />
          <SimpleGrid cols={2}>
            <div>
              <Text size="sm" fw={500}>
                Plan
              </Text>
              <Badge mt={4} variant="light" tt="capitalize">
                {ws.data.plan}
              </Badge>
            </div>
            <div>
              <Text size="sm" fw={500}>
                Created
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                {formatDate(ws.data.createdAt)}
              </Text>
            </div>
          </SimpleGrid>
          {canManage ? (
            <Group justify="flex-end">
              <Button type="submit" disabled={!dirty || !name.trim()} loading={update.isPending}>
                Save changes
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              Only owners can change these settings.
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
