import type { Me } from '../../api/types.ts';

export function SegmentsPage(_props: { me: Me }) {
  return null;
}
