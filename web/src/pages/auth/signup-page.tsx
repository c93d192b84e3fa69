import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Button, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useSignup } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { countryOptions, guessCountry } from '../../lib/countries.ts';
import { AuthCard } from './auth-card.tsx';

export function SignupPage() {
  const signup = useSignup();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '', defaultCountry: guessCountry() ?? 'ID' });
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signup.mutate(form, { onSuccess: () => navigate('/contacts', { replace: true }) });
  };

  return (
    <AuthCard
      title="Create your workspace"
      subtitle="Import your contacts and reach them on WhatsApp, from your own server."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login" fw={500}>
            Log in
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit}>
        <Stack>
          {signup.isError && <ErrorAlert error={signup.error} title="Could not create the account" />}
          <TextInput label="Your name" autoComplete="name" required value={form.name} onChange={(e) => set('name')(e.currentTarget.value)} />
          <TextInput label="Work email" type="email" autoComplete="email" required value={form.email} onChange={(e) => set('email')(e.currentTarget.value)} />
          <PasswordInput
            label="Password"
            description="At least 8 characters"
            autoComplete="new-password"
            required
            minLength={8}
            value={form.password}
            onChange={(e) => set('password')(e.currentTarget.value)}
          />
          <TextInput
            label="Workspace name"
            placeholder="Your business or team"
            required
            value={form.workspaceName}
            onChange={(e) => set('workspaceName')(e.currentTarget.value)}
          />
          <Select
            label="Default country"
            description="Phone numbers without a country code are read as numbers of this country"
            data={countryOptions()}
            searchable
            allowDeselect={false}
            value={form.defaultCountry}
            onChange={(v) => v && set('defaultCountry')(v)}
          />
          <Button type="submit" loading={signup.isPending} fullWidth mt="xs">
            Create account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
