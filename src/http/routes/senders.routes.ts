import type { Container } from '../../container.ts';
import * as service from '../../services/senders.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import { senderLayerSchema } from '../../domain/sender-settings.ts';
import {
  memberParams,
  memberSettings,
  packageCreate,
  packageDetail,
  packagePatch,
  packageProfilesBody,
  packagesPage,
  packagesQuery,
  profile,
  profileCreate,
  profileDetail,
  profilePatch,
  profilePauseBody,
  profilesPage,
  profilesQuery,
  senderDefaults,
} from '../schemas/senders.ts';

export async function sendersRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/senders/defaults',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: 'The workspace defaults of the sender settings, with their effective values and the built-in ones',
        response: { 200: senderDefaults },
      },
    },
    async (req) => service.getSenderDefaults(c, actorOf(req)),
  );

  app.put(
    '/api/v1/senders/defaults',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: 'Replace the workspace defaults; refused when any profile or package would be left with contradictory limits',
        body: senderLayerSchema,
        response: { 200: senderDefaults },
      },
    },
    async (req) => service.setSenderDefaults(c, actorOf(req), req.body),
  );

  app.get(
    '/api/v1/profiles',
    {
      config: { permission: 'senders:read' },
      schema: { tags: ['senders'], summary: 'Profiles (WhatsApp numbers), newest first; secrets masked', querystring: profilesQuery, response: { 200: profilesPage } },
    },
    async (req) => service.listProfiles(c, actorOf(req), req.query),
  );

  app.post(
    '/api/v1/profiles',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: 'Add a profile: a number on the Cloud API, WhatsApp Web or the simulator; its credentials are encrypted at rest',
        body: profileCreate,
        response: { 201: profile },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createProfile(c, actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/profiles/:id',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: 'One profile with its packages and its own effective settings',
        params: idParam,
        response: { 200: profileDetail },
      },
    },
    async (req) => service.getProfile(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/profiles/:id',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: 'Rename, change the phone, credentials (merged), overrides, weight or warm-up (the transport stays as created)',
        params: idParam,
        body: profilePatch,
        response: { 200: profile },
      },
    },
    async (req) => service.updateProfile(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/profiles/:id',
    {
      config: { permission: 'senders:write' },
      schema: { tags: ['senders'], summary: 'Delete a profile; refused while messages are queued for it', params: idParam },
    },
    async (req, reply) => {
      await service.deleteProfile(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/profiles/:id/pause',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: 'Stop open chat from this number until it is resumed (reply chat goes on)',
        params: idParam,
        body: profilePauseBody,
        response: { 200: profile },
      },
    },
    async (req) => service.pauseProfile(c, actorOf(req), req.params.id, req.body?.reason),
  );

  app.post(
    '/api/v1/profiles/:id/resume',
    {
      config: { permission: 'senders:write' },
      schema: { tags: ['senders'], summary: 'Resume a paused profile', params: idParam, response: { 200: profile } },
    },
    async (req) => service.resumeProfile(c, actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/packages',
    {
      config: { permission: 'senders:read' },
      schema: { tags: ['senders'], summary: 'Packages (pools of profiles), newest first', querystring: packagesQuery, response: { 200: packagesPage } },
    },
    async (req) => service.listPackages(c, actorOf(req), req.query),
  );

  app.post(
    '/api/v1/packages',
    {
      config: { permission: 'senders:write' },
      schema: { tags: ['senders'], summary: 'Create a package', body: packageCreate, response: { 201: packageDetail } },
    },
    async (req, reply) => reply.status(201).send(await service.createPackage(c, actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/packages/:id',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: 'One package with its profiles in order, each with its effective settings in this package',
        params: idParam,
        response: { 200: packageDetail },
      },
    },
    async (req) => service.getPackage(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/packages/:id',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: 'Rename, describe, or change the settings and rules of a package',
        params: idParam,
        body: packagePatch,
        response: { 200: packageDetail },
      },
    },
    async (req) => service.updatePackage(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/packages/:id',
    {
      config: { permission: 'senders:write' },
      schema: { tags: ['senders'], summary: 'Delete a package (its profiles stay); refused while messages are queued in it', params: idParam },
    },
    async (req, reply) => {
      await service.deletePackage(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/packages/:id/profiles',
    {
      config: { permission: 'senders:write' },
      schema: {
        tags: ['senders'],
        summary: "Replace the package's profiles, in order",
        params: idParam,
        body: packageProfilesBody,
        response: { 200: packageDetail },
      },
    },
    async (req) => service.setPackageProfiles(c, actorOf(req), req.params.id, req.body.profileIds),
  );

  app.get(
    '/api/v1/packages/:id/profiles/:profileId/settings',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: 'How one profile sends for this package: each value, where it comes from, and any contradiction',
        params: memberParams,
        response: { 200: memberSettings },
      },
    },
    async (req) => service.memberSettings(c, actorOf(req), req.params.id, req.params.profileId),
  );
}
