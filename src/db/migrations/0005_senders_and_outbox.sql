CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"profile_id" uuid,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaign_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid,
	"request_id" uuid,
	"package_id" uuid NOT NULL,
	"profile_id" uuid,
	"contact_id" uuid,
	"phone" text NOT NULL,
	"content" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"reason" text,
	"error_code" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_owner" text,
	"provider_message_id" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_routes" (
	"workspace_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"profile_id" uuid NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_routes_workspace_id_phone_pk" PRIMARY KEY("workspace_id","phone")
);
--> statement-breakpoint
CREATE TABLE "package_profiles" (
	"workspace_id" uuid NOT NULL,
	"package_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_profiles_package_id_profile_id_pk" PRIMARY KEY("package_id","profile_id")
);
--> statement-breakpoint
CREATE TABLE "packages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"strategy" text DEFAULT 'smart' NOT NULL,
	"daily_total" integer,
	"max_concurrent_sends" integer DEFAULT 3 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_signals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"event" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_stats" (
	"workspace_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"read" integer DEFAULT 0 NOT NULL,
	"replied" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "profile_stats_profile_id_minute_pk" PRIMARY KEY("profile_id","minute")
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"transport" text NOT NULL,
	"transport_config" text,
	"status" text DEFAULT 'disconnected' NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"weight" real,
	"warmup_started_at" timestamp with time zone,
	"health_state" text DEFAULT 'healthy' NOT NULL,
	"health_score" integer DEFAULT 100 NOT NULL,
	"health_reason" text,
	"health_checked_at" timestamp with time zone,
	"failure_streak" integer DEFAULT 0 NOT NULL,
	"failure_streak_since" timestamp with time zone,
	"next_send_at" timestamp with time zone,
	"wait_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "send_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"package_id" uuid NOT NULL,
	"strategy" text NOT NULL,
	"total" integer NOT NULL,
	"estimated_completion_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "sender_defaults" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_messages" ADD CONSTRAINT "campaign_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_messages" ADD CONSTRAINT "campaign_messages_request_id_send_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."send_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_messages" ADD CONSTRAINT "campaign_messages_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_messages" ADD CONSTRAINT "campaign_messages_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_messages" ADD CONSTRAINT "campaign_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_routes" ADD CONSTRAINT "conversation_routes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_routes" ADD CONSTRAINT "conversation_routes_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_profiles" ADD CONSTRAINT "package_profiles_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_profiles" ADD CONSTRAINT "package_profiles_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_profiles" ADD CONSTRAINT "package_profiles_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_signals" ADD CONSTRAINT "profile_signals_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_stats" ADD CONSTRAINT "profile_stats_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "send_requests" ADD CONSTRAINT "send_requests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "send_requests" ADD CONSTRAINT "send_requests_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_workspace_idx" ON "alerts" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "campaign_messages_claim_idx" ON "campaign_messages" USING btree ("profile_id","not_before","id") WHERE "campaign_messages"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "campaign_messages_lease_idx" ON "campaign_messages" USING btree ("lease_until") WHERE "campaign_messages"."status" = 'sending';--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_messages_provider_key" ON "campaign_messages" USING btree ("provider_message_id") WHERE "campaign_messages"."provider_message_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_messages_request_idx" ON "campaign_messages" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "campaign_messages_workspace_idx" ON "campaign_messages" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "campaign_messages_phone_idx" ON "campaign_messages" USING btree ("workspace_id","phone","id");--> statement-breakpoint
CREATE INDEX "conversation_routes_profile_idx" ON "conversation_routes" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "package_profiles_profile_idx" ON "package_profiles" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "packages_workspace_idx" ON "packages" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "packages_workspace_name_key" ON "packages" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "profile_signals_profile_idx" ON "profile_signals" USING btree ("profile_id","at");--> statement-breakpoint
CREATE INDEX "profiles_workspace_idx" ON "profiles" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "profiles_workspace_name_key" ON "profiles" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "profiles_workspace_phone_key" ON "profiles" USING btree ("workspace_id","phone") WHERE "profiles"."phone" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "send_requests_workspace_idx" ON "send_requests" USING btree ("workspace_id","id");