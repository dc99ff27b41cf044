CREATE TABLE IF NOT EXISTS orders (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id text        NOT NULL,
    currency    char(3)     NOT NULL,
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
