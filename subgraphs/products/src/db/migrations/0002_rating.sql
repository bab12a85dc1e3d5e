ALTER TABLE "products" ADD COLUMN "rating_average" numeric(3, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "rating_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "rating_computed_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "products_active_rating_idx" ON "products" USING btree ("active","rating_average" DESC NULLS FIRST,"rating_count" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_rating_valid" CHECK ("products"."rating_average" >= 0 AND "products"."rating_average" <= 5 AND "products"."rating_count" >= 0);