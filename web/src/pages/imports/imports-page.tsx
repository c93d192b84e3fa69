import { Link, useNavigate } from 'react-router-dom';
import { Button, Paper, Table, Text } from '@mantine/core';
import { IconFileImport, IconFileSpreadsheet } from '@tabler/icons-react';
import { useImports } from '../../api/imports.ts';
import type { ImportJob, Me } from '../../api/types.ts';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatBytes, formatNumber, formatRelative } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { ImportStatusBadge } from './import-status.tsx';

export function ImportsPage({ me }: { me: Me }) {
  const imports = useImports();
  const navigate = useNavigate();
  const canImport = can(me, 'imports:write');

  const empty = (
    <FirstUseState
      icon={<IconFileSpreadsheet size={32} />}
      title="No imports yet"
      description="Upload a CSV or Excel file of your contacts; you check the columns before anything is saved."
      action={
        canImport && (
          <Button component={Link} to="/imports/new" leftSection={<IconFileImport size={16} />}>
            Import a spreadsheet
          </Button>
        )
      }
    />
  );
  const table = (rows: ImportJob[]) => (
    <>
      <ScrollTable
        highlightOnHover
        miw={860}
        head={
          <>
            <Table.Th>File</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
            <Table.Th ta="right">Imported</Table.Th>
            <Table.Th ta="right">Updated</Table.Th>
            <Table.Th ta="right">Skipped</Table.Th>
            <Table.Th ta="right">Rejected</Table.Th>
            <Table.Th>Uploaded</Table.Th>
          </>
        }
      >
        {rows.map((j) => (
          <Table.Tr key={j.id} className="clickable-row" onClick={() => navigate(`/imports/${j.id}`)}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {j.fileName}
              </Text>
              <Text size="xs" c="dimmed">
                {j.format.toUpperCase()} · {formatBytes(j.fileSize)}
              </Text>
            </Table.Td>
            <Table.Td>
              <ImportStatusBadge status={j.status} />
            </Table.Td>
            <Table.Td ta="right">{formatNumber(j.rowsDone)}</Table.Td>
            <Table.Td ta="right">{formatNumber(j.imported)}</Table.Td>
            <Table.Td ta="right">{formatNumber(j.updated)}</Table.Td>
            <Table.Td ta="right">{formatNumber(j.skipped)}</Table.Td>
            <Table.Td ta="right" c={j.rejected > 0 ? 'red.7' : undefined}>
              {formatNumber(j.rejected)}
            </Table.Td>
            <Table.Td className="nowrap" c="dimmed" fz="sm">
              {formatRelative(j.createdAt)}
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <LoadMoreRow query={imports} />
    </>
  );

  return (
    <>
      <PageHeader
        title="Imports"
        description="Every contact file uploaded to this workspace, with its results."
        actions={
          canImport && (
            <Button component={Link} to="/imports/new" leftSection={<IconFileImport size={16} />}>
              New import
            </Button>
          )
        }
      />
      <Paper withBorder>
        <QueryTable query={imports} loadingColumns={8} loadingRows={4} empty={empty}>
          {table}
        </QueryTable>
      </Paper>
    </>
  );
}
