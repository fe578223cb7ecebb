-- The e-mails sent to visitors (not to sales) in the last day:
-- limits.emails_per_recipient_per_day counts these, whichever form queued
-- them. One definition for the estimate, newsletter and booking statements
-- instead of a template list in each; the planner inlines the view, so the
-- lookup is still an index scan of jobs_by_recipient.
CREATE VIEW visitor_emails_last_day AS
SELECT recipient, created_at
FROM jobs
WHERE template IN ('estimate_confirmation', 'newsletter_confirmation', 'booking_confirmation')
  AND created_at > now() - interval '1 day';
