import type { Container } from '../../container.ts';
import type { TypedApp } from '../typed-app.ts';

export async function apiKeysRoutes(app: TypedApp, c: Container) {
  void app;
  void c;
}
