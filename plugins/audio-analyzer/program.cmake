# vj-audio, the program around the analysis core (issue 6, part 3b). Included at the end of this
# directory's CMakeLists.txt. GPL-3.0-or-later like the core, because it links aubio.
#
#   vj_audio_program_lib  everything but main(): option parsing, input sources, pacing, OSC
#                         output, status file (unit_audio links it for the program_*_test.cpp)
#   vj-audio              main.cpp; lands in VJ_PLUGIN_BIN_DIR beside the other workers
if(NOT TARGET PkgConfig::SNDFILE)   # the core's CMakeLists.txt may have found it for tempo_bench
  pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
endif()
pkg_check_modules(PULSE_SIMPLE REQUIRED IMPORTED_TARGET libpulse-simple)
pkg_check_modules(ALSA REQUIRED IMPORTED_TARGET alsa)

add_library(vj_audio_program_lib STATIC
  program/alsa_source.cpp
  program/audio_app.cpp
  program/audio_options.cpp
  program/audio_session.cpp
  program/file_source.cpp
  program/input_source.cpp
  program/input_spec.cpp
  program/level_history.cpp
  program/osc_output.cpp
  program/output_map.cpp
  program/pacer.cpp
  program/percentile_window.cpp
  program/pulse_source.cpp
  program/status_report.cpp
  program/stdin_source.cpp
  program/test_source.cpp)
target_link_libraries(vj_audio_program_lib
  PUBLIC vj_audio_lib vj_sdk
  PRIVATE PkgConfig::SNDFILE PkgConfig::PULSE_SIMPLE PkgConfig::ALSA)

add_executable(vj-audio main.cpp)
target_link_libraries(vj-audio PRIVATE vj_audio_program_lib ${VJ_STATIC_RUNTIME})
set_target_properties(vj-audio PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${VJ_PLUGIN_BIN_DIR})
install(TARGETS vj-audio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES vj-audio.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
