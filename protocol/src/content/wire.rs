//! The protobuf wire format subset Session messages use: varints, fixed64 and length-delimited
//! fields, written in field order and read tolerantly (unknown fields are skipped).

use super::DecodeError;

/// Wire type of a varint field.
const VARINT: u8 = 0;
/// Wire type of a fixed 64-bit field.
const FIXED64: u8 = 1;
/// Wire type of a length-delimited field (bytes, strings, embedded messages).
const LEN: u8 = 2;
/// Wire type of a fixed 32-bit field.
const FIXED32: u8 = 5;

/// Appends a base-128 varint.
pub fn put_varint(buf: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        buf.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    buf.push(value as u8);
}

/// Appends a field key.
fn put_key(buf: &mut Vec<u8>, field: u32, wire_type: u8) {
    put_varint(buf, (u64::from(field) << 3) | u64::from(wire_type));
}

/// Appends a varint field.
pub fn put_uint(buf: &mut Vec<u8>, field: u32, value: u64) {
    put_key(buf, field, VARINT);
    put_varint(buf, value);
}

/// Appends a fixed64 field.
pub fn put_fixed64(buf: &mut Vec<u8>, field: u32, value: u64) {
    put_key(buf, field, FIXED64);
    buf.extend_from_slice(&value.to_le_bytes());
}

/// Appends a length-delimited field.
pub fn put_bytes(buf: &mut Vec<u8>, field: u32, value: &[u8]) {
    put_key(buf, field, LEN);
    put_varint(buf, value.len() as u64);
    buf.extend_from_slice(value);
}

/// Appends optional fields, skipping `None`.
pub fn put_opt_uint(buf: &mut Vec<u8>, field: u32, value: Option<u64>) {
    if let Some(v) = value {
        put_uint(buf, field, v);
    }
}

/// Appends an optional string field, skipping `None`.
pub fn put_opt_str(buf: &mut Vec<u8>, field: u32, value: Option<&str>) {
    if let Some(v) = value {
        put_bytes(buf, field, v.as_bytes());
    }
}

/// One decoded field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A varint.
    Varint(u64),
    /// A fixed 64-bit value.
    Fixed64(u64),
    /// A length-delimited value.
    Bytes(&'a [u8]),
    /// A fixed 32-bit value.
    Fixed32(u32),
}

impl<'a> Value<'a> {
    /// The value of a varint field.
    pub fn uint(self, field: &'static str) -> Result<u64, DecodeError> {
        match self {
            Value::Varint(v) => Ok(v),
            _ => Err(DecodeError::WireType { field }),
        }
    }

    /// The value of a varint field that must fit in 32 bits (protobuf truncates; so do we).
    pub fn uint32(self, field: &'static str) -> Result<u32, DecodeError> {
        self.uint(field).map(|v| v as u32)
    }

    /// The value of a fixed64 field.
    pub fn fixed64(self, field: &'static str) -> Result<u64, DecodeError> {
        match self {
            Value::Fixed64(v) => Ok(v),
            _ => Err(DecodeError::WireType { field }),
        }
    }

    /// The bytes of a length-delimited field.
    pub fn bytes(self, field: &'static str) -> Result<&'a [u8], DecodeError> {
        match self {
            Value::Bytes(b) => Ok(b),
            _ => Err(DecodeError::WireType { field }),
        }
    }

    /// The UTF-8 text of a string field.
    pub fn string(self, field: &'static str) -> Result<String, DecodeError> {
        let bytes = self.bytes(field)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::Utf8 { field })
    }
}

/// Iterates over the fields of one message.
#[derive(Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the fields of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// The next `(field number, value)`, or `None` at the end.
    pub fn next_field(&mut self) -> Result<Option<(u32, Value<'a>)>, DecodeError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = u32::try_from(key >> 3).map_err(|_| DecodeError::FieldNumber)?;
        let value = match (key & 7) as u8 {
            VARINT => Value::Varint(self.varint()?),
            FIXED64 => Value::Fixed64(u64::from_le_bytes(self.array()?)),
            LEN => {
                let len = usize::try_from(self.varint()?).map_err(|_| DecodeError::Truncated)?;
                Value::Bytes(self.take(len)?)
            }
            FIXED32 => Value::Fixed32(u32::from_le_bytes(self.array()?)),
            other => return Err(DecodeError::UnsupportedWireType(other)),
        };
        Ok(Some((field, value)))
    }

    /// Reads a varint of at most 10 bytes.
    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let (&byte, rest) = self.rest.split_first().ok_or(DecodeError::Truncated)?;
            self.rest = rest;
            value |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Varint)
    }

    /// Takes the next `len` bytes.
    fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        if len > self.rest.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(head)
    }

    /// Takes the next `N` bytes as an array.
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0, 1, 127, 128, 300, 1_700_000_000_123, u64::MAX] {
            let mut buf = Vec::new();
            put_uint(&mut buf, 15, v);
            let mut r = Reader::new(&buf);
            assert_eq!(r.next_field().unwrap(), Some((15, Value::Varint(v))));
            assert_eq!(r.next_field().unwrap(), None);
        }
    }

    #[test]
    fn truncated_and_overlong_input_is_refused() {
        assert_eq!(
            Reader::new(&[0x0a, 0x05, 1]).next_field(),
            Err(DecodeError::Truncated)
        );
        assert_eq!(
            Reader::new(&[0x08]).next_field(),
            Err(DecodeError::Truncated)
        );
        assert_eq!(
            Reader::new(&[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
            ])
            .next_field(),
            Err(DecodeError::Varint)
        );
        assert_eq!(
            Reader::new(&[0x0b]).next_field(),
            Err(DecodeError::UnsupportedWireType(3))
        );
    }
}
