import type { Container } from '../../container.ts';
import type { TypedApp } from '../typed-app.ts';

export async function segmentsRoutes(_app: TypedApp, _c: Container) {}
