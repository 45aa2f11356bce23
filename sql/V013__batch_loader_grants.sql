-- What the batch loader (V012) may do with the schema: stage a day's rows (and drop an earlier
-- attempt's), and run the merge, which writes orders with its owner's rights. No other rows.
GRANT SELECT, INSERT, DELETE ON orders_staging TO mc_loader;

GRANT EXECUTE ON merge_orders_staging TO mc_loader;
