-- Orders as the order service writes them and the AWS→OCI sync delivers them. updated_at is the
-- source's time of the change: upserts apply a row only when it is newer than the stored one, so
-- replays and out-of-order deliveries cannot move an order back in time.
CREATE TABLE IF NOT EXISTS orders (
  order_id     VARCHAR2(64) NOT NULL,
  customer_id  VARCHAR2(64) NOT NULL,
  amount       NUMBER(14, 2) NOT NULL,
  currency     CHAR(3) DEFAULT 'USD' NOT NULL,
  status       VARCHAR2(20) NOT NULL,
  order_date   DATE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT orders_pk PRIMARY KEY (order_id),
  CONSTRAINT orders_amount_ck CHECK (amount >= 0),
  CONSTRAINT orders_status_ck CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'))
);

CREATE INDEX IF NOT EXISTS orders_customer_ix ON orders (customer_id, order_date);

CREATE INDEX IF NOT EXISTS orders_date_ix ON orders (order_date);
