import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Anchor, Breadcrumbs, Paper, Skeleton, Stack, Stepper } from '@mantine/core';
import { useImport } from '../../api/imports.ts';
import { useRealtime } from '../../api/realtime.tsx';
import type { ImportJob, ImportProgressNotice } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { MappingStep } from './mapping-step.tsx';
import { ProgressStep } from './progress-step.tsx';
import { ResultStep } from './result-step.tsx';
import { UploadStep } from './upload-step.tsx';

function stepOf(job: ImportJob | undefined) {
  if (!job) return 0;
  switch (job.status) {
    case 'uploaded':
      return 1;
    case 'queued':
    case 'running':
      return 2;
    default:
      return 3;
  }
}

/** Keeps the cached import in step with the live notices of the WebSocket. */
function useLiveImport(id: string | undefined) {
  const qc = useQueryClient();
  const status = useRealtime<ImportProgressNotice>('import.progress', (n) => {
    if (n.importId !== id) return;
    qc.setQueryData<ImportJob>(['imports', 'one', id], (old) =>
      old
        ? {
            ...old,
            status: n.status,
            rowsDone: n.rowsDone,
            bytesDone: n.bytesDone,
            imported: n.imported,
            updated: n.updated,
            skipped: n.skipped,
            rejected: n.rejected,
            error: n.error,
          }
        : old,
    );
    if (n.status === 'completed' || n.status === 'failed') {
      // Timestamps and the list come with the full record; new contacts and fields change other pages.
      void qc.invalidateQueries({ queryKey: ['imports'] });
      void qc.invalidateQueries({ queryKey: ['contacts'] });
      void qc.invalidateQueries({ queryKey: ['lists'] });
    }
  });
  const live = status === 'open';
  const job = useImport(id, !live);
  // Notices sent while the socket was down are lost: read the record once it is back.
  const { refetch } = job;
  useEffect(() => {
    if (live && id) void refetch();
  }, [live, id, refetch]);
  return { job, live };
}

export function ImportWizardPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { job, live } = useLiveImport(id);
  const step = stepOf(job.data);

  let content;
  if (!id) {
    content = <UploadStep onUploaded={(j) => navigate(`/imports/${j.id}`, { replace: true })} />;
  } else if (job.isPending) {
    content = (
      <Stack>
        <Skeleton height={80} />
        <Skeleton height={260} />
      </Stack>
    );
  } else if (job.isError) {
    content = <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;
  } else if (job.data.status === 'uploaded') {
    content = <MappingStep job={job.data} />;
  } else if (job.data.status === 'queued' || job.data.status === 'running') {
    content = <ProgressStep job={job.data} live={live} />;
  } else {
    content = <ResultStep job={job.data} />;
  }

  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/imports">
          Imports
        </Anchor>
        <span>{job.data?.fileName ?? 'New import'}</span>
      </Breadcrumbs>
      <PageHeader title="Import contacts" description="From a CSV or Excel file, with a check of every column before anything is saved." />
      <Paper withBorder p="lg" mb="lg">
        <Stepper active={job.data?.status === 'completed' ? 4 : step} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label="Upload" description="CSV or Excel file" />
          <Stepper.Step label="Map columns" description="Phone, name, variables" />
          <Stepper.Step label="Import" description="Live progress" loading={step === 2} />
          <Stepper.Step label="Result" description="Counts and rejected rows" />
        </Stepper>
      </Paper>
      {content}
    </>
  );
}
