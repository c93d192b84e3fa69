CREATE TABLE "phone_opt_outs" (
	"workspace_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"reason" text NOT NULL,
	"opted_out_at" timestamp with time zone NOT NULL,
	CONSTRAINT "phone_opt_outs_workspace_id_phone_pk" PRIMARY KEY("workspace_id","phone")
);
--> statement-breakpoint
ALTER TABLE "phone_opt_outs" ADD CONSTRAINT "phone_opt_outs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;