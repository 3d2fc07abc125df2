import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_inline_data.sql';
import m0002 from './0002_versions_uploads_cors.sql';
import m0003 from './0003_drop_objects.sql';
import m0004 from './0004_versions_listing_index.sql';
import m0005 from './0005_outbox_notification.sql';
import m0006 from './0006_completed_uploads.sql';
import m0007 from './0007_bucket_configs.sql';
import m0008 from './0008_version_attributes.sql';
import m0009 from './0009_object_acl.sql';
import m0010 from './0010_sse_c_parts.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010
    }
  }
  