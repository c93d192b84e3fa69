import { useNavigate, useParams } from 'react-router-dom';
import { Tabs } from '@mantine/core';
import { IconBuilding, IconHistory, IconKey, IconUsers } from '@tabler/icons-react';
import type { Me } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { can, type Permission } from '../../lib/permissions.ts';
import { ApiKeysSettings } from './api-keys-settings.tsx';
import { AuditLog } from './audit-log.tsx';
import { MembersSettings } from './members-settings.tsx';
import { WorkspaceSettings } from './workspace-settings.tsx';

const tabs: { value: string; label: string; icon: typeof IconUsers; permission: Permission }[] = [
  { value: 'workspace', label: 'Workspace', icon: IconBuilding, permission: 'workspace:read' },
  { value: 'members', label: 'Members', icon: IconUsers, permission: 'members:read' },
  { value: 'api-keys', label: 'API keys', icon: IconKey, permission: 'api_keys:manage' },
  { value: 'audit', label: 'Audit log', icon: IconHistory, permission: 'audit:read' },
];

export function SettingsPage({ me }: { me: Me }) {
  const navigate = useNavigate();
  const allowed = tabs.filter((t) => can(me, t.permission));
  const { tab } = useParams();
  const active = allowed.find((t) => t.value === tab)?.value ?? 'workspace';

  return (
    <>
      <PageHeader title="Settings" description={`Everything about ${me.workspace.name}: its people, its keys and its history.`} />
      <Tabs value={active} onChange={(v) => v && navigate(`/settings/${v}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {allowed.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="workspace">
          <WorkspaceSettings me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="members">
          <MembersSettings me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys">
          <ApiKeysSettings />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditLog />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
