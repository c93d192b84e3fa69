import type { ReactNode } from 'react';
import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Logo } from '../../layout/app-layout.tsx';

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Center mih="100vh" p="md" style={{ background: 'linear-gradient(160deg, var(--mantine-color-chorus-0) 0%, var(--mantine-color-gray-0) 55%)' }}>
      <Stack w="100%" maw={420} gap="lg">
        <Center>
          <Logo />
        </Center>
        <Paper withBorder shadow="sm" p="xl">
          <Stack gap={4} mb="lg">
            <Title order={2} size="h3">
              {title}
            </Title>
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          </Stack>
          {children}
        </Paper>
        <Text ta="center" size="sm" c="dimmed">
          {footer}
        </Text>
      </Stack>
    </Center>
  );
}
