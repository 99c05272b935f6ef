-- Email change with re-verification: a token sent to the new address, which
-- becomes the account's address only when the link is followed.
-- (Adding an enum value is allowed inside the runner's transaction because the
-- value is not used until a later transaction.)

-- AlterEnum
ALTER TYPE "TokenPurpose" ADD VALUE 'change_email';
