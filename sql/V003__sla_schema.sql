-- The support SLA schema. Seniority is NOT NULL: a NULL would slip past the senior-engineer rule.
-- Times are UTC without a zone (tickets.created_at), and SLA days are UTC calendar days, so the
-- assertion compares like with like whatever a session's time zone is.
CREATE TABLE IF NOT EXISTS customers (
  id          NUMBER GENERATED ALWAYS AS IDENTITY,
  name        VARCHAR2(200) NOT NULL,
  company     VARCHAR2(200),
  created_at  TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT customers_pk PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS engineers (
  id              NUMBER GENERATED ALWAYS AS IDENTITY,
  name            VARCHAR2(200) NOT NULL,
  seniority       VARCHAR2(20) NOT NULL,
  specialization  VARCHAR2(100),
  CONSTRAINT engineers_pk PRIMARY KEY (id),
  CONSTRAINT engineers_seniority_ck CHECK (seniority IN ('junior', 'mid', 'senior', 'lead'))
);

-- start_date and end_date are calendar days, both inclusive (DATE columns, no time part).
CREATE TABLE IF NOT EXISTS slas (
  id           NUMBER GENERATED ALWAYS AS IDENTITY,
  customer_id  NUMBER NOT NULL,
  sla_tier     VARCHAR2(20) NOT NULL,
  start_date   DATE NOT NULL,
  end_date     DATE NOT NULL,
  CONSTRAINT slas_pk PRIMARY KEY (id),
  CONSTRAINT slas_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id),
  CONSTRAINT slas_tier_ck CHECK (sla_tier IN ('bronze', 'silver', 'gold', 'platinum')),
  CONSTRAINT slas_whole_days_ck CHECK (start_date = TRUNC(start_date) AND end_date = TRUNC(end_date)),
  CONSTRAINT slas_dates_ck CHECK (end_date >= start_date)
);

CREATE TABLE IF NOT EXISTS sla_services (
  id            NUMBER GENERATED ALWAYS AS IDENTITY,
  sla_id        NUMBER NOT NULL,
  service_name  VARCHAR2(100) NOT NULL,
  CONSTRAINT sla_services_pk PRIMARY KEY (id),
  CONSTRAINT sla_services_sla_fk FOREIGN KEY (sla_id) REFERENCES slas (id),
  CONSTRAINT sla_services_uk UNIQUE (sla_id, service_name)
);

CREATE TABLE IF NOT EXISTS tickets (
  id           NUMBER GENERATED ALWAYS AS IDENTITY,
  customer_id  NUMBER NOT NULL,
  engineer_id  NUMBER,
  priority     VARCHAR2(20) NOT NULL,
  subject      VARCHAR2(500) NOT NULL,
  created_at   TIMESTAMP DEFAULT SYS_EXTRACT_UTC(SYSTIMESTAMP) NOT NULL,
  status       VARCHAR2(20) DEFAULT 'open' NOT NULL,
  CONSTRAINT tickets_pk PRIMARY KEY (id),
  CONSTRAINT tickets_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id),
  CONSTRAINT tickets_engineer_fk FOREIGN KEY (engineer_id) REFERENCES engineers (id),
  CONSTRAINT tickets_priority_ck CHECK (priority IN ('low', 'medium', 'high', 'critical')),
  CONSTRAINT tickets_status_ck CHECK (status IN ('open', 'in_progress', 'resolved', 'closed'))
);

-- Foreign-key columns indexed: the assertions and the FKs look rows up by them.
CREATE INDEX IF NOT EXISTS slas_customer_ix ON slas (customer_id, start_date, end_date);

CREATE INDEX IF NOT EXISTS sla_services_sla_ix ON sla_services (sla_id);

CREATE INDEX IF NOT EXISTS tickets_customer_ix ON tickets (customer_id, created_at);

CREATE INDEX IF NOT EXISTS tickets_engineer_ix ON tickets (engineer_id);
