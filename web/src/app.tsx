import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Center, Loader } from '@mantine/core';
import { useMe } from './api/session.ts';
import { RealtimeProvider } from './api/realtime.tsx';
import type { Me } from './api/types.ts';
import { ErrorAlert } from './components/error-alert.tsx';
import { AppLayout } from './layout/app-layout.tsx';
import { can } from './lib/permissions.ts';
import { LoginPage } from './pages/auth/login-page.tsx';
import { SignupPage } from './pages/auth/signup-page.tsx';
import { ContactsPage } from './pages/contacts/contacts-page.tsx';
import { ImportsPage } from './pages/imports/imports-page.tsx';
import { ImportWizardPage } from './pages/imports/import-wizard-page.tsx';
import { ListsPage } from './pages/lists/lists-page.tsx';
import { SettingsPage } from './pages/settings/settings-page.tsx';

// The editors load with their page: the segment builder brings the criteria schema (zod), the
// template editor its own pieces, and the first page of the dashboard does not wait for either.
const SegmentsPage = lazy(() => import('./pages/segments/segments-page.tsx').then((m) => ({ default: m.SegmentsPage })));
const TemplatesPage = lazy(() => import('./pages/templates/templates-page.tsx').then((m) => ({ default: m.TemplatesPage })));
const MediaPage = lazy(() => import('./pages/media/media-page.tsx').then((m) => ({ default: m.MediaPage })));
const SendersPage = lazy(() => import('./pages/senders/senders-page.tsx').then((m) => ({ default: m.SendersPage })));

function homeOf(me: Me) {
  return can(me, 'contacts:read') ? '/contacts' : '/settings';
}

function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}

/** Public pages send signed-in people into the app; app pages send everyone else to log in. */
function PublicOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <FullPageLoader />;
  if (me.data) return <Navigate to={homeOf(me.data)} replace />;
  return children;
}

function SignedIn() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoader />;
  if (me.isError) {
    return (
      <Center h="100vh" p="md">
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <RealtimeProvider workspaceId={me.data.workspace.id}>
      <AppLayout me={me.data}>
        <Suspense fallback={<Center py="xl"><Loader /></Center>}>
          <Routes>
            <Route path="/" element={<Navigate to={homeOf(me.data)} replace />} />
            {can(me.data, 'contacts:read') && <Route path="/contacts" element={<ContactsPage me={me.data} />} />}
            {can(me.data, 'imports:read') && <Route path="/imports" element={<ImportsPage me={me.data} />} />}
            {can(me.data, 'imports:write') && <Route path="/imports/new" element={<ImportWizardPage />} />}
            {can(me.data, 'imports:read') && <Route path="/imports/:id" element={<ImportWizardPage />} />}
            {can(me.data, 'lists:read') && <Route path="/lists" element={<ListsPage me={me.data} />} />}
            {can(me.data, 'segments:read') && <Route path="/segments/*" element={<SegmentsPage me={me.data} />} />}
            {can(me.data, 'templates:read') && <Route path="/templates/*" element={<TemplatesPage me={me.data} />} />}
            {can(me.data, 'media:read') && <Route path="/media" element={<MediaPage me={me.data} />} />}
            {can(me.data, 'senders:read') && <Route path="/senders" element={<SendersPage me={me.data} />} />}
            <Route path="/settings" element={<SettingsPage me={me.data} />} />
            <Route path="/settings/:tab" element={<SettingsPage me={me.data} />} />
            <Route path="*" element={<Navigate to={homeOf(me.data)} replace />} />
          </Routes>
        </Suspense>
      </AppLayout>
    </RealtimeProvider>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<PublicOnly><LoginPage /></PublicOnly>} />
      <Route path="/signup" element={<PublicOnly><SignupPage /></PublicOnly>} />
      <Route path="/*" element={<SignedIn />} />
    </Routes>
  );
}
