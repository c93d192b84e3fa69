import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import {
  ActionIcon, AppShell, Avatar, Box, Burger, Group, Menu, NavLink, Stack, Text, ThemeIcon, Tooltip, UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook, IconApi, IconFilter, IconPhoto, IconTemplate, IconBook2, IconCheck, IconChevronDown, IconFileImport, IconListDetails, IconLogout, IconMessages, IconDeviceMobileMessage,
  IconSettings, IconSwitchHorizontal,
} from '@tabler/icons-react';
import { useLogout, useSwitchWorkspace } from '../api/session.ts';
import type { Me } from '../api/types.ts';
import { RoleBadge } from '../components/role-badge.tsx';
import { can, roleWords, type Permission } from '../lib/permissions.ts';
import { notifyError, notifySuccess } from '../lib/notify.ts';

interface NavItem {
  to: string;
  label: string;
  icon: typeof IconAddressBook;
  permission: Permission;
}

const nav: NavItem[] = [
  { to: '/contacts', label: 'Contacts', icon: IconAddressBook, permission: 'contacts:read' },
  { to: '/imports', label: 'Imports', icon: IconFileImport, permission: 'imports:read' },
  { to: '/lists', label: 'Lists', icon: IconListDetails, permission: 'lists:read' },
  { to: '/segments', label: 'Segments', icon: IconFilter, permission: 'segments:read' },
  { to: '/templates', label: 'Templates', icon: IconTemplate, permission: 'templates:read' },
  { to: '/media', label: 'Media', icon: IconPhoto, permission: 'media:read' },
  { to: '/senders', label: 'Senders', icon: IconDeviceMobileMessage, permission: 'senders:read' },
  { to: '/settings', label: 'Settings', icon: IconSettings, permission: 'workspace:read' },
];

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('');
}

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={30} radius="md" variant="filled">
        <IconMessages size={18} />
      </ThemeIcon>
      <Text fw={750} size="lg" style={{ letterSpacing: '-0.02em' }}>
        Chorus
      </Text>
    </Group>
  );
}

function WorkspaceSwitcher({ me }: { me: Me }) {
  const switchWs = useSwitchWorkspace();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-start" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="Switch workspace" data-testid="workspace-switcher">
          <Group gap={6} wrap="nowrap">
            <Avatar size={28} radius="sm" color="chorus" variant="light">
              {initials(me.workspace.name)}
            </Avatar>
            <Text fw={600} size="sm" truncate maw={200}>
              {me.workspace.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Your workspaces</Menu.Label>
        {me.workspaces.map((w) => (
          <Menu.Item
            key={w.id}
            leftSection={w.id === me.workspace.id ? <IconCheck size={14} /> : <IconSwitchHorizontal size={14} />}
            rightSection={<RoleBadge size="xs" role={w.role} />}
            disabled={w.id === me.workspace.id}
            onClick={() =>
              switchWs.mutate(w.id, {
                onSuccess: () => {
                  navigate('/');
                  notifySuccess(`You are now in ${w.name}`);
                },
                onError: (e) => notifyError(e, 'Could not switch workspace'),
              })
            }
          >
            {w.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function UserMenu({ me }: { me: Me }) {
  const logout = useLogout();
  const navigate = useNavigate();
  const name = me.user?.name ?? 'API key';
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="Account menu">
          <Group gap={8} wrap="nowrap">
            <Avatar size={32} radius="xl" color="chorus">
              {initials(name)}
            </Avatar>
            <Box visibleFrom="sm">
              <Text size="sm" fw={500} lh={1.2}>
                {name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {roleWords[me.role].label}
              </Text>
            </Box>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.user?.email}</Menu.Label>
        <Menu.Item leftSection={<IconSettings size={14} />} onClick={() => navigate('/settings')}>
          Settings
        </Menu.Item>
        <Menu.Item leftSection={<IconBook2 size={14} />} component="a" href="/api/docs" target="_blank">
          API reference
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={14} />}
          onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/login'), onError: (e) => notifyError(e) })}
        >
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppLayout({ me, children }: { me: Me; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Box visibleFrom="sm" w={200}>
              <Logo />
            </Box>
            <WorkspaceSwitcher me={me} />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Tooltip label="API reference">
              <ActionIcon variant="subtle" color="gray" component="a" href="/api/docs" target="_blank" aria-label="API reference" visibleFrom="sm">
                <IconApi size={20} />
              </ActionIcon>
            </Tooltip>
            <UserMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Stack gap={4}>
          {nav
            .filter((item) => can(me, item.permission))
            .map((item) => (
              <NavLink
                key={item.to}
                component={RouterLink}
                to={item.to}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.6} />}
                active={location.pathname.startsWith(item.to)}
                onClick={close}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Box maw={1320} mx="auto">
          {children}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
