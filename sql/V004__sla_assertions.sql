-- The SLA rules as SQL assertions (Oracle AI Database 23.26.1+). Comma joins only: Oracle
-- rejects an ANSI JOIN inside an assertion (ORA-08697). A violation raises ORA-08601.

-- A ticket needs an SLA of its customer covering the moment it was created. The SLA's days are
-- inclusive: a ticket at 23:59 on end_date is inside, hence "< end_date + 1" and not
-- "BETWEEN start_date AND end_date", which ends at 00:00:00 of the last day.
CREATE ASSERTION IF NOT EXISTS ticket_within_active_sla CHECK (
  ALL (SELECT t.customer_id, t.created_at FROM tickets t) SATISFY (
    EXISTS (
      SELECT 1 FROM slas s
      WHERE s.customer_id = t.customer_id
        AND t.created_at >= s.start_date
        AND t.created_at < s.end_date + 1
    )
  )
);

-- High and critical tickets go to senior or lead engineers only.
CREATE ASSERTION IF NOT EXISTS urgent_ticket_needs_senior CHECK (
  NOT EXISTS (
    SELECT 1 FROM tickets t, engineers e
    WHERE t.engineer_id = e.id
      AND (t.priority = 'high' OR t.priority = 'critical')
      AND e.seniority <> 'senior'
      AND e.seniority <> 'lead'
  )
);

-- Every SLA covers at least one service. Deferred to commit, so an SLA and its services are
-- inserted in one transaction (the services' foreign key needs the SLA first).
CREATE ASSERTION IF NOT EXISTS sla_has_service CHECK (
  ALL (SELECT s.id FROM slas s) SATISFY (
    EXISTS (SELECT 1 FROM sla_services v WHERE v.sla_id = s.id)
  )
) DEFERRABLE INITIALLY DEFERRED;
