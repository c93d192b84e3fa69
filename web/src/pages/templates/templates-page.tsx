import type { Me } from '../../api/types.ts';

export function TemplatesPage(_props: { me: Me }) {
  return null;
}
