import type { Container } from '../../container.ts';
import type { TypedApp } from '../typed-app.ts';

/** Every feature's routes, registered once here. */
export async function apiRoutes(app: TypedApp, c: Container) {
  void app;
  void c;
}
