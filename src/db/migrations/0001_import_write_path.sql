ALTER TABLE "import_rejections" DROP CONSTRAINT "import_rejections_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "list_members" DROP CONSTRAINT "list_members_workspace_id_workspaces_id_fk";
--> statement-breakpoint
DROP INDEX "contacts_labels_idx";--> statement-breakpoint
CREATE INDEX "contacts_labels_idx" ON "contacts" USING gin ("labels") WHERE "contacts"."labels" <> '{}'::text[];