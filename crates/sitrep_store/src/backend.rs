//! The two backends behind one tiny SQL interface: execute, query, batch.
//!
//! SQL is written once with SQLite's numbered placeholders (`?1`); for PostgreSQL they become `$1`.
//! Parameters and results pass through two small enums, converted to each driver's types here.

use std::collections::HashMap;

use jiff::civil::Date;
use postgres::types::{ToSql as PgToSql, Type};
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::error::BackendError;

/// A parameter.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
    Bool(bool),
    Date(Date),
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(v: Option<&'a str>) -> Value<'a> {
        v.map_or(Value::Null, Value::Text)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Value<'a> {
        Value::Text(v)
    }
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<Option<f64>> for Value<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Value::Null, Value::Real)
    }
}

/// A result cell.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Real(r) => Some(r.to_string()),
            Cell::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Cell::Null => None,
        }
    }

    pub(crate) fn real(&self) -> f64 {
        match self {
            Cell::Int(i) => *i as f64,
            Cell::Real(r) => *r,
            Cell::Text(s) => s.parse().unwrap_or(0.0),
            Cell::Blob(_) | Cell::Null => 0.0,
        }
    }

    pub(crate) fn int(&self) -> i64 {
        match self {
            Cell::Int(i) => *i,
            Cell::Real(r) => *r as i64,
            Cell::Text(s) => s.parse().unwrap_or(0),
            Cell::Blob(_) | Cell::Null => 0,
        }
    }
}

pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

pub(crate) struct Pg {
    pub(crate) client: postgres::Client,
    statements: HashMap<&'static str, postgres::Statement>,
    /// Statements built at run time (event queries), up to [`DYN_CACHE`] of them.
    dynamic: HashMap<String, postgres::Statement>,
}

/// How many run-time statements each connection keeps prepared.
pub(crate) const DYN_CACHE: usize = 64;

impl Pg {
    pub(crate) fn new(client: postgres::Client) -> Pg {
        Pg {
            client,
            statements: HashMap::new(),
            dynamic: HashMap::new(),
        }
    }

    fn dyn_statement(&mut self, sql: &str) -> Result<postgres::Statement, BackendError> {
        if let Some(statement) = self.dynamic.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&sql.replace('?', "$"))?;
        if self.dynamic.len() >= DYN_CACHE {
            self.dynamic.clear();
        }
        self.dynamic.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn statement(&mut self, sql: &'static str) -> Result<postgres::Statement, BackendError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&sql.replace('?', "$"))?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

impl Conn {
    /// Runs one statement; returns the number of rows it changed.
    pub(crate) fn execute(
        &mut self,
        sql: &'static str,
        params: &[Value<'_>],
    ) -> Result<u64, BackendError> {
        match self {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                Ok(statement.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Conn::Postgres(pg) => {
                let statement = pg.statement(sql)?;
                let boxed = pg_params(&statement, params);
                let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                Ok(pg.client.execute(&statement, &refs)?)
            }
        }
    }

    /// Runs one query; returns its rows.
    pub(crate) fn query(
        &mut self,
        sql: &'static str,
        params: &[Value<'_>],
    ) -> Result<Vec<Vec<Cell>>, BackendError> {
        match self {
            Conn::Sqlite(conn) => sqlite_rows(conn.prepare_cached(sql)?, params),
            Conn::Postgres(pg) => {
                let statement = pg.statement(sql)?;
                pg_rows(pg, &statement, params)
            }
        }
    }

    /// Runs one query built at run time (kept prepared in a small cache); returns its rows.
    pub(crate) fn query_dyn(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Vec<Vec<Cell>>, BackendError> {
        match self {
            Conn::Sqlite(conn) => sqlite_rows(conn.prepare_cached(sql)?, params),
            Conn::Postgres(pg) => {
                let statement = pg.dyn_statement(sql)?;
                pg_rows(pg, &statement, params)
            }
        }
    }

    /// Runs several statements without parameters (migrations, BEGIN, COMMIT).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), BackendError> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Postgres(pg) => Ok(pg.client.batch_execute(sql)?),
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }
}

fn sqlite_rows(
    mut statement: rusqlite::CachedStatement<'_>,
    params: &[Value<'_>],
) -> Result<Vec<Vec<Cell>>, BackendError> {
    let columns = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(columns);
        for i in 0..columns {
            cells.push(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(i) => Cell::Int(i),
                ValueRef::Real(r) => Cell::Real(r),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

fn pg_rows(
    pg: &mut Pg,
    statement: &postgres::Statement,
    params: &[Value<'_>],
) -> Result<Vec<Vec<Cell>>, BackendError> {
    let boxed = pg_params(statement, params);
    let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
    let rows = pg.client.query(statement, &refs)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(row.len());
        for (i, column) in row.columns().iter().enumerate() {
            cells.push(pg_cell(&row, i, column.type_())?);
        }
        out.push(cells);
    }
    Ok(out)
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(i)),
            Value::Real(r) => ToSqlOutput::Borrowed(ValueRef::Real(r)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(b))),
            Value::Date(d) => ToSqlOutput::Owned(rusqlite::types::Value::Text(d.to_string())),
        })
    }
}

/// Each parameter as the Rust type the statement's parameter type takes.
fn pg_params(
    statement: &postgres::Statement,
    params: &[Value<'_>],
) -> Vec<Box<dyn PgToSql + Sync>> {
    params
        .iter()
        .zip(statement.params())
        .map(|(value, ty)| -> Box<dyn PgToSql + Sync> {
            match (*value, ty) {
                (Value::Null, &Type::INT2) => Box::new(None::<i16>),
                (Value::Null, &Type::INT4) => Box::new(None::<i32>),
                (Value::Null, &Type::INT8) => Box::new(None::<i64>),
                (Value::Null, &Type::FLOAT8) => Box::new(None::<f64>),
                (Value::Null, &Type::BOOL) => Box::new(None::<bool>),
                (Value::Null, &Type::DATE) => Box::new(None::<Date>),
                (Value::Null, _) => Box::new(None::<String>),
                (Value::Int(i), &Type::INT2) => Box::new(i as i16),
                (Value::Int(i), &Type::INT4) => Box::new(i as i32),
                (Value::Int(i), &Type::FLOAT8) => Box::new(i as f64),
                (Value::Int(i), &Type::TEXT) => Box::new(i.to_string()),
                (Value::Int(i), _) => Box::new(i),
                (Value::Real(r), _) => Box::new(r),
                (Value::Text(t), _) => Box::new(t.to_owned()),
                (Value::Blob(b), _) => Box::new(b.to_vec()),
                (Value::Bool(b), _) => Box::new(b),
                (Value::Date(d), &Type::DATE) => Box::new(d),
                (Value::Date(d), _) => Box::new(d.to_string()),
            }
        })
        .collect()
}

fn pg_cell(row: &postgres::Row, i: usize, ty: &Type) -> Result<Cell, BackendError> {
    fn cell<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
        v.map_or(Cell::Null, f)
    }
    Ok(match *ty {
        Type::INT2 => cell(row.try_get::<_, Option<i16>>(i)?, |v| Cell::Int(v.into())),
        Type::INT4 => cell(row.try_get::<_, Option<i32>>(i)?, |v| Cell::Int(v.into())),
        Type::INT8 => cell(row.try_get::<_, Option<i64>>(i)?, Cell::Int),
        Type::FLOAT4 => cell(row.try_get::<_, Option<f32>>(i)?, |v| Cell::Real(v.into())),
        Type::FLOAT8 => cell(row.try_get::<_, Option<f64>>(i)?, Cell::Real),
        Type::BOOL => cell(row.try_get::<_, Option<bool>>(i)?, |v| Cell::Int(v.into())),
        Type::DATE => cell(row.try_get::<_, Option<Date>>(i)?, |v| {
            Cell::Text(v.to_string())
        }),
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
            cell(row.try_get::<_, Option<String>>(i)?, Cell::Text)
        }
        ref other => {
            return Err(
                format!("column {i} has type {other}, which the store does not read").into(),
            )
        }
    })
}
