import type { Me } from '../../api/types.ts';

export function MediaPage(_props: { me: Me }) {
  return null;
}
