//! QR codes of join URLs: inline SVG for the room page, PNG for `invite.png`.

use std::io::Cursor;

use image::{ImageFormat, Luma};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::error::{ApiError, ApiResult};

/// Side of the PNG in pixels, at least (whole pixels per module, quiet zone included).
const PNG_SIDE: u32 = 512;

fn code_of(text: &str) -> ApiResult<QrCode> {
    QrCode::new(text.as_bytes()).map_err(|e| ApiError::Internal(Box::new(e)))
}

/// An `<svg>` element (no XML declaration) showing `text` as a QR code with its quiet zone,
/// scalable by CSS; `label` is its accessible name.
pub fn svg(text: &str, label: &str) -> ApiResult<String> {
    let image = code_of(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    let start = image.find("<svg").unwrap_or(0);
    let label = maud::html! { (label) }.into_string();
    Ok(image[start..].replacen(
        "<svg ",
        &format!(r#"<svg role="img" aria-label="{label}" focusable="false" "#),
        1,
    ))
}

/// A PNG of `text` as a black-on-white QR code, about 512×512 with a quiet zone.
pub fn png(text: &str) -> ApiResult<Vec<u8>> {
    let image = code_of(text)?
        .render::<Luma<u8>>()
        .min_dimensions(PNG_SIDE, PNG_SIDE)
        .max_dimensions(PNG_SIDE + 64, PNG_SIDE + 64)
        .quiet_zone(true)
        .build();
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| ApiError::Internal(Box::new(e)))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_is_an_inline_element_with_a_label() {
        let svg = svg("http://example.org/lobby?public_key=00", "QR \"code\"").unwrap();
        assert!(svg.starts_with(r#"<svg role="img" aria-label="QR &quot;code&quot;""#));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_png_is_about_512_pixels() {
        let png = png("http://example.org/lobby?public_key=00").unwrap();
        let image = image::load_from_memory(&png).unwrap();
        assert!((512..=576).contains(&image.width()), "{}", image.width());
        assert_eq!(image.width(), image.height());
    }
}
