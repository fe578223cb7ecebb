-- Workers claim e-mails and webhooks in separate lanes (claim-jobs takes a
-- kind), so the due index leads with the kind: with jobs_due (run_at, id)
-- the webhook lane's claim walked every due e-mail to find none, over and
-- over during an e-mail backlog, which is when the lane matters. Built
-- before jobs_due is dropped, as in 0003.
CREATE INDEX jobs_due_by_kind ON jobs (kind, run_at, id) WHERE status = 'queued';
DROP INDEX jobs_due;
