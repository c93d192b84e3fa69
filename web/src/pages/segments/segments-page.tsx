import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { can } from '../../lib/permissions.ts';
import { SegmentDetailPage } from './segment-detail.tsx';
import { SegmentForm } from './segment-form.tsx';
import { SegmentList } from './segment-list.tsx';

function NewSegmentPage() {
  return (
    <>
      <PageHeader title="New segment" description="Pick contacts with conditions; the count on the right follows every change." />
      <SegmentForm />
    </>
  );
}

/** `/segments` (the list), `/segments/new` (the builder) and `/segments/:id` (stats, contacts, editing). */
export function SegmentsPage({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<SegmentList me={me} />} />
      <Route path="new" element={can(me, 'segments:write') ? <NewSegmentPage /> : <Navigate to="/segments" replace />} />
      <Route path=":id" element={<SegmentDetailPage me={me} />} />
      <Route path="*" element={<Navigate to="/segments" replace />} />
    </Routes>
  );
}
