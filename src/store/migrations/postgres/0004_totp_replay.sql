-- The last TOTP time step accepted per account, so that a code cannot be used twice.
ALTER TABLE staff ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
