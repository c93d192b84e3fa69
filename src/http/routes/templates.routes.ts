import type { Container } from '../../container.ts';
import type { TypedApp } from '../typed-app.ts';

export async function templatesRoutes(_app: TypedApp, _c: Container) {}
