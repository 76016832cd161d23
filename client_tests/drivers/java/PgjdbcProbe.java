// pgjdbc probe for the real-driver suite: Statement, PreparedStatement (crossing the
// prepareThreshold of 5), autoCommit(false)/commit/rollback, isValid. The unix form goes
// through junixsocket's socket factory. Target from PROBE_* variables (../run_drivers.py).
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

public final class PgjdbcProbe {
  private static final String[] STEPS = {
      "connect", "select1", "param", "repeat7", "txn", "error", "ping", "close"};

  interface Step {
    String run() throws Exception;
  }

  static final class StepFailed extends Exception {
    StepFailed(String message) {
      super(message);
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null) {
      System.err.println("probe: " + name + " is not set");
      System.exit(2);
    }
    return v;
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static void emit(String form, String step, String ok, String detail) {
    if (detail.length() > 800) {
      detail = detail.substring(0, 800);
    }
    System.out.println("{\"driver\": \"pgjdbc\", \"form\": " + json(form) + ", \"step\": "
        + json(step) + ", \"ok\": " + ok + ", \"detail\": " + json(detail) + "}");
    System.out.flush();
  }

  private static String describe(Throwable e) {
    String state = e instanceof SQLException ? " [" + ((SQLException) e).getSQLState() + "]" : "";
    return (e.getClass().getName() + state + ": " + e.getMessage()).replaceAll("\\s+", " ");
  }

  private static void expect(Object actual, Object expected, String what) throws StepFailed {
    if (!expected.equals(actual)) {
      throw new StepFailed(what + ": expected " + expected + ", got " + actual);
    }
  }

  private static String expectSqlState(SQLException e, String want, String what)
      throws StepFailed {
    if (!want.equals(e.getSQLState())) {
      throw new StepFailed(what + ": expected SQLSTATE " + want + ", got " + describe(e));
    }
    return what + ": " + want;
  }

  private static int scalar(ResultSet rs, String what) throws SQLException, StepFailed {
    try (rs) {
      if (!rs.next()) {
        throw new StepFailed(what + ": no row");
      }
      int v = rs.getInt(1);
      if (rs.next()) {
        throw new StepFailed(what + ": more than one row");
      }
      return v;
    }
  }

  private static int query(Connection c, String sql) throws SQLException, StepFailed {
    try (Statement st = c.createStatement()) {
      return scalar(st.executeQuery(sql), sql);
    }
  }

  private static int addOne(PreparedStatement ps, int value) throws SQLException, StepFailed {
    ps.setInt(1, value);
    return scalar(ps.executeQuery(), "SELECT ?::int + 1 (" + value + ")");
  }

  private static TransactionState txState(Connection c) throws SQLException {
    return c.unwrap(BaseConnection.class).getTransactionState();
  }

  private static String url(String form, String host, String port, String unixPort, String db,
      String user, String password) {
    if (form.equals("url")) {
      // pgjdbc has no user:password@ form: the password goes percent-encoded in the query.
      String enc = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
      return "jdbc:postgresql://" + host + ":" + port + "/" + db + "?user=" + user
          + "&password=" + enc + "&connectTimeout=10";
    }
    if (form.equals("keyword")) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }
    return "jdbc:postgresql://localhost:" + unixPort + "/" + db;
  }

  private static Properties props(String form, String user, String password, String socket) {
    Properties p = new Properties();
    if (form.equals("keyword")) {
      p.setProperty("user", user);
      p.setProperty("password", password);
      p.setProperty("connectTimeout", "10");
    } else if (form.equals("unix")) {
      p.setProperty("user", user);
      p.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
      p.setProperty("socketFactoryArg", socket);
      p.setProperty("connectTimeout", "10");
    }
    return p;
  }

  private static void probeForm(String form) {
    String host = env("PROBE_HOST");
    String port = env("PROBE_PORT");
    String unixDir = env("PROBE_UNIX_DIR");
    String unixPort = env("PROBE_UNIX_PORT");
    String db = env("PROBE_DB");
    String user = env("PROBE_USER");
    String password = env("PROBE_PASSWORD");
    String url = url(form, host, port, unixPort, db, user, password);
    Properties props = props(form, user, password, unixDir + "/.s.PGSQL." + unixPort);
    Connection[] conn = new Connection[1];

    List<Step> steps = new ArrayList<>();
    steps.add(() -> {
      conn[0] = DriverManager.getConnection(url, props);
      return "server " + conn[0].getMetaData().getDatabaseProductVersion();
    });
    steps.add(() -> {
      expect(query(conn[0], "SELECT 1"), 1, "SELECT 1");
      return "1";
    });
    steps.add(() -> {
      try (PreparedStatement ps = conn[0].prepareStatement("SELECT ?::int + 1")) {
        expect(addOne(ps, 41), 42, "SELECT ?::int + 1 (41)");
      }
      return "42";
    });
    steps.add(() -> {
      try (PreparedStatement ps = conn[0].prepareStatement("SELECT ?::int + 1")) {
        for (int i = 0; i < 7; i++) {
          expect(addOne(ps, 100 + i), 101 + i, "run " + (i + 1));
        }
      }
      return "7 runs of one PreparedStatement (server-prepared from run 5)";
    });
    steps.add(() -> {
      Connection c = conn[0];
      c.setAutoCommit(false);
      try {
        expect(query(c, "SELECT 2"), 2, "SELECT 2 in transaction");
        expect(txState(c), TransactionState.OPEN, "transaction state inside");
        c.commit();
        expect(txState(c), TransactionState.IDLE, "transaction state after commit");
      } finally {
        c.setAutoCommit(true);
      }
      return "setAutoCommit(false)/SELECT 2/commit()";
    });
    steps.add(() -> {
      Connection c = conn[0];
      List<String> notes = new ArrayList<>();
      try {
        query(c, "SELECT 1/0");
        throw new StepFailed("SELECT 1/0 did not fail");
      } catch (SQLException e) {
        notes.add(expectSqlState(e, "22012", "autocommit"));
      }
      expect(query(c, "SELECT 1"), 1, "SELECT 1 after the error");
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
          expect(addOne(ps, 1), 2, "statement before the error");
        }
        try {
          query(c, "SELECT 1/0");
          throw new StepFailed("SELECT 1/0 in transaction did not fail");
        } catch (SQLException e) {
          notes.add(expectSqlState(e, "22012", "in transaction"));
        }
        expect(txState(c), TransactionState.FAILED, "transaction state after the error");
        c.rollback();
        expect(txState(c), TransactionState.IDLE, "transaction state after rollback");
        expect(query(c, "SELECT 1"), 1, "SELECT 1 after rollback");
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
      return String.join("; ", notes);
    });
    steps.add(() -> {
      expect(conn[0].isValid(5), true, "isValid(5)");
      return "isValid(5)";
    });
    steps.add(() -> {
      conn[0].close();
      expect(conn[0].isClosed(), true, "isClosed()");
      return "";
    });

    boolean connected = true;
    for (int i = 0; i < STEPS.length; i++) {
      if (!connected) {
        emit(form, STEPS[i], "false", "not run: connect failed");
        continue;
      }
      try {
        emit(form, STEPS[i], "true", steps.get(i).run());
      } catch (Throwable e) {
        emit(form, STEPS[i], "false", describe(e));
        if (i == 0) {
          connected = false;
        }
      }
    }
    if (!connected && conn[0] != null) {
      try {
        conn[0].close();
      } catch (SQLException ignored) {
        // best effort
      }
    }
  }

  public static void main(String[] args) {
    DriverManager.setLoginTimeout(10);
    String forms = System.getenv("PROBE_FORMS");
    if (forms == null || forms.isEmpty()) {
      forms = "url,keyword,unix";
    }
    for (String form : forms.split(",")) {
      if (!form.isEmpty()) {
        probeForm(form);
      }
    }
    System.exit(0);
  }
}
