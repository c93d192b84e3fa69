import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useLogin } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { AuthCard } from './auth-card.tsx';

export function LoginPage() {
  const login = useLogin();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(from, { replace: true }) });
  };

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Log in to your Chorus workspace."
      footer={
        <>
          New to Chorus?{' '}
          <Anchor component={Link} to="/signup" fw={500}>
            Create an account
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit}>
        <Stack>
          {login.isError && <ErrorAlert error={login.error} title="Could not log in" />}
          <TextInput label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={login.isPending} fullWidth mt="xs">
            Log in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
